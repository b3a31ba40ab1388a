namespace VmTeleport.FileSystems;

/// <summary>A byte range of a file's content that is backed by data on disk (not a hole).</summary>
public readonly record struct FileRange(long Offset, long Length);

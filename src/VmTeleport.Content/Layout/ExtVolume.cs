using VmTeleport.FileSystems;

namespace VmTeleport.Content.Layout;

/// <summary>
/// One ext filesystem of the disk to rebuild: where it lies (partition number as the kernel numbers
/// them, 0 for a filesystem on the whole disk; byte offset and length on the disk), how to format
/// it, and its entries in walk order (root first) with their metadata.
/// </summary>
public sealed record ExtVolume(int Number, long Offset, long Length, ExtParameters Parameters, IReadOnlyList<FileSystemEntry> Entries);

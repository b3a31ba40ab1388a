namespace VmTeleport.Content.Index;

/// <summary>Progress of the source being indexed: items (files, regions) and their bytes done so far.</summary>
public readonly record struct IndexProgress(string Source, long Items, long Bytes);

namespace VmTeleport.Content.Index;

/// <summary>Totals of the whole index, counted from its rows (not from the per-source totals).</summary>
public sealed record IndexSummary(long Sources, long Files, long Regions, long Chunks, long DistinctChunks, long Bytes, long Packages);

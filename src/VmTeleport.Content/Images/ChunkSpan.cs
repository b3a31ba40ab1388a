using VmTeleport.Content.Chunking;

namespace VmTeleport.Content.Images;

/// <summary>One chunk of a file or raw region, in order: its id and its length (offsets follow from the order).</summary>
public readonly record struct ChunkSpan(ChunkId Id, int Length);

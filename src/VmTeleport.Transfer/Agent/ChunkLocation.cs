namespace VmTeleport.Transfer.Agent;

/// <summary>Where a chunk's bytes lie in the served image: item <see cref="Item"/> of the walk, at <see cref="Offset"/> in that file or region.</summary>
internal readonly record struct ChunkLocation(int Item, long Offset, int Length);

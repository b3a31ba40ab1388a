namespace VmTeleport.Content.Chunking;

/// <summary>One chunk of a file: where it starts in that file, how long it is, what it hashes to.</summary>
public readonly record struct Chunk(long Offset, int Length, ChunkId Id)
{
    public long End => Offset + Length;

    public override string ToString() => $"{Offset}+{Length} {Id}";
}

namespace VmTeleport.Content.Chunking;

/// <summary>BLAKE3 (256-bit output) through the managed SIMD Blake3 package.</summary>
public sealed class Blake3ChunkHasher : ChunkHasher
{
    public override string Name => "blake3";

    protected override ChunkId HashCore(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[ChunkId.Size];
        Blake3.Hasher.Hash(data, digest);
        return new ChunkId(digest);
    }
}

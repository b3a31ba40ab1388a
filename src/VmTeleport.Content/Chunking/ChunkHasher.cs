namespace VmTeleport.Content.Chunking;

/// <summary>
/// Turns a chunk's bytes into its <see cref="ChunkId"/>. Hashers are stateless and thread-safe; a
/// chunk is always hashed in one call because one-shot hashing of whole chunks is the fast path
/// (docs/chunking.md, "Chunk id").
/// </summary>
public abstract class ChunkHasher
{
    /// <summary>The hasher ids are made with: BLAKE3, chosen by benchmark (docs/chunking.md).</summary>
    public static ChunkHasher Default { get; } = new Blake3ChunkHasher();

    /// <summary>The algorithm's name as written in manifests ("blake3", "sha256").</summary>
    public abstract string Name { get; }

    public abstract ChunkId Hash(ReadOnlySpan<byte> data);
}

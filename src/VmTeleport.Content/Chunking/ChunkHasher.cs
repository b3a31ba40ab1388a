using System.Collections.Concurrent;

namespace VmTeleport.Content.Chunking;

/// <summary>
/// Turns a chunk's bytes into its <see cref="ChunkId"/>. Hashers are stateless and thread-safe; a
/// chunk is always hashed in one call because one-shot hashing of whole chunks is the fast path
/// (docs/chunking.md, "Chunk id").
/// </summary>
public abstract class ChunkHasher
{
    /// <summary>The hasher ids are made with: SHA-256, chosen by benchmark at the default chunk sizes
    /// on real files (docs/chunking.md, "Chunk id"); a file that is one chunk gets its file sha256.</summary>
    public static ChunkHasher Default { get; } = new Sha256ChunkHasher();

    /// <summary>The algorithm's name as written in manifests ("blake3", "sha256").</summary>
    public abstract string Name { get; }

    private readonly ConcurrentDictionary<int, ChunkId> _zeros = new();

    /// <summary>
    /// The chunk's id. All-zero chunks (holes of sparse files, unused disk areas: FastCDC cuts a
    /// zero run into equal chunks) are hashed once per length: checking for zeros stops at the
    /// first non-zero byte, so other data pays nothing for it (docs/chunking.md, "Zeros").
    /// </summary>
    public ChunkId Hash(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty || data.IndexOfAnyExcept((byte)0) >= 0)
        {
            return HashCore(data);
        }

        return _zeros.TryGetValue(data.Length, out var id) ? id : _zeros.GetOrAdd(data.Length, HashCore(data));
    }

    protected abstract ChunkId HashCore(ReadOnlySpan<byte> data);
}

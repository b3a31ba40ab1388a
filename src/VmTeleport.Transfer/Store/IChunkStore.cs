using VmTeleport.Content.Chunking;

namespace VmTeleport.Transfer.Store;

/// <summary>
/// Chunks by id. Implementations must be safe to call from several threads at once, and a chunk
/// is either wholly present or absent: <see cref="TryRead"/> never returns bytes that do not hash
/// to the id. The directory store is the first; an HTTP cache or CDN store (read side) can sit in
/// front of it as a decorator later.
/// </summary>
public interface IChunkStore
{
    /// <summary>Whether the store holds the chunk (cheap: no read, no hash).</summary>
    bool Contains(ChunkId id);

    /// <summary>The chunk's bytes, checked against its id; false when absent (or found damaged and dropped).</summary>
    bool TryRead(ChunkId id, out byte[] data);

    /// <summary>Stores the chunk; <paramref name="data"/> must hash to <paramref name="id"/>, else <see cref="InvalidDataException"/> and nothing is stored.</summary>
    void Write(ChunkId id, ReadOnlySpan<byte> data);
}

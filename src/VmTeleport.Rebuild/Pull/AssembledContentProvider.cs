using System.Buffers;
using VmTeleport.Content.Chunking;
using VmTeleport.Content.Images;
using VmTeleport.Content.Index;
using VmTeleport.Transfer.Store;

namespace VmTeleport.Rebuild.Pull;

/// <summary>
/// The pull's <see cref="IContentProvider"/>: each file and region is assembled chunk by chunk
/// from the chunk store (fetched or extracted from packages) or read where the content index found
/// it in a local image. A local chunk that no longer hashes to its id (the image changed since it
/// was indexed) is asked of <paramref name="refetch"/> (the wire), so a stale index costs bytes,
/// never correctness. Bytes go to the sink through a window aligned on 1 MiB of the item, so that
/// all-zero 4 KiB blocks become holes exactly as they are in the source.
/// </summary>
public sealed class AssembledContentProvider(
    IChunkStore store,
    IReadOnlyDictionary<ChunkId, ChunkLocation> local,
    LocalChunkReader reader,
    Func<ChunkSpan, byte[]?>? refetch = null) : IContentProvider
{
    private const int Window = 1 << 20;
    private long _fromStore, _fromLocal, _refetched;

    public long BytesFromStore => Interlocked.Read(ref _fromStore);

    public long BytesFromLocalImages => Interlocked.Read(ref _fromLocal);

    /// <summary>Bytes of local chunks found changed and fetched over the wire instead.</summary>
    public long BytesRefetched => Interlocked.Read(ref _refetched);

    public void CopyFile(ContentItem file, IContentSink sink) => Copy(file, sink);

    public void CopyRegion(ContentItem region, IContentSink sink) => Copy(region, sink);

    private void Copy(ContentItem item, IContentSink sink)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(sink);
        // Pooled: a fresh 1 MiB array per file (zeroed, then faulted in) was most of the
        // rebuild's stage time for SourceImageProvider (docs/rebuild.md).
        int windowLength = (int)Math.Min(Window, Math.Max(item.Size, 1));
        var window = ArrayPool<byte>.Shared.Rent(windowLength);
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long windowStart = 0, offset = 0;
            foreach (var c in item.Chunks)
            {
                var data = chunk.AsSpan(0, c.Length);
                Fill(item, c, data);
                while (!data.IsEmpty)
                {
                    int at = (int)(offset - windowStart);
                    int n = Math.Min(data.Length, windowLength - at);
                    data[..n].CopyTo(window.AsSpan(at));
                    data = data[n..];
                    offset += n;
                    if (offset - windowStart == windowLength)
                    {
                        SourceImageProvider.WriteNonZero(sink, windowStart, window.AsSpan(0, windowLength));
                        windowStart = offset;
                    }
                }
            }

            if (offset != item.Size)
            {
                throw new InvalidDataException($"{Name(item)}: chunks add up to {offset} bytes, the item has {item.Size}");
            }

            if (offset > windowStart)
            {
                SourceImageProvider.WriteNonZero(sink, windowStart, window.AsSpan(0, (int)(offset - windowStart)));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
            ArrayPool<byte>.Shared.Return(window);
        }
    }

    private void Fill(ContentItem item, ChunkSpan c, Span<byte> data)
    {
        // The pack store reads into the caller's buffer; other stores hand back an array.
        if (store is PackChunkStore pack
            ? pack.TryRead(c.Id, data, out int length) && length == c.Length
            : store.TryRead(c.Id, out var stored) && stored.Length == c.Length && stored.AsSpan().TryCopyTo(data))
        {
            Interlocked.Add(ref _fromStore, c.Length);
            return;
        }

        if (local.TryGetValue(c.Id, out var at) && reader.TryRead(c.Id, at, data))
        {
            Interlocked.Add(ref _fromLocal, c.Length);
            return;
        }

        if (refetch?.Invoke(c) is { } fetched && fetched.Length == c.Length)
        {
            fetched.CopyTo(data);
            Interlocked.Add(ref _refetched, c.Length);
            return;
        }

        throw new InvalidDataException($"{Name(item)}: chunk {c.Id} ({c.Length} bytes) is in no local source, not in the chunk store and could not be fetched");
    }

    private static string Name(ContentItem item) =>
        item.Kind == ContentItemKind.File ? $"volume {item.Volume ?? 0} {item.Path}" : $"region at {item.DiskOffset}";
}

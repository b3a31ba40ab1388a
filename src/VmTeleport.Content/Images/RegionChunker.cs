using System.Buffers;
using VmTeleport.Content.Chunking;
using VmTeleport.Disks;

namespace VmTeleport.Content.Images;

/// <summary>
/// Cuts the allocated, non-zero bytes of a disk range into raw regions and chunks them in one
/// pass. Zero and unallocated extents are skipped from the allocation map without being read;
/// inside data extents, 4 KiB blocks (aligned on the disk) that are all zeros end a region and
/// are never hashed. A region is also ended at <see cref="MaxRegionSize"/>, so its chunk list
/// stays bounded. Memory: one 1 MiB read buffer and one MaxSize + 4 KiB chunking window.
/// </summary>
internal sealed class RegionChunker
{
    /// <summary>The granule of zero detection: a page, the unit of every filesystem and swap.</summary>
    public const int Block = 4096;

    /// <summary>A region longer than this is cut in pieces (at most 32 Ki chunks of the 2 KiB minimum each).</summary>
    public const long MaxRegionSize = 64L << 20;

    private const int ReadSize = 1 << 20;

    private readonly IBlockSource _disk;
    private readonly FastCdc _cdc = new(ChunkerOptions.Default);
    private readonly ChunkHasher _hasher = ChunkHasher.Default;
    private readonly byte[] _window;
    private readonly int _max;
    private int _pending;
    private List<ChunkSpan> _chunks = [];
    private long _regionStart = -1;
    private long _regionLength;

    public RegionChunker(IBlockSource disk)
    {
        _disk = disk;
        _max = _cdc.Options.MaxSize;
        _window = new byte[_max + Block];
    }

    /// <summary>The regions of [start, end), in disk order; <paramref name="label"/> names where a region starts.</summary>
    public IEnumerable<ContentItem> Regions(long start, long end, Func<long, (int? Volume, string Label)> label)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            foreach (var extent in DiskExtents.Merge(_disk.GetExtents(start, end - start)))
            {
                if (extent.Kind != ExtentKind.Data)
                {
                    if (Flush(label) is { } item)
                    {
                        yield return item;
                    }

                    continue;
                }

                for (long at = extent.Offset; at < extent.End;)
                {
                    // Reads end on block boundaries of the disk so that blocks are judged whole.
                    long stop = Math.Min(extent.End, (at + ReadSize) / Block * Block);
                    if (stop <= at)
                    {
                        stop = Math.Min(extent.End, at + ReadSize);
                    }

                    int n = (int)(stop - at);
                    _disk.ReadAt(at, buffer.AsSpan(0, n));
                    int pos = 0;
                    while (pos < n)
                    {
                        long abs = at + pos;
                        int len = (int)Math.Min(n - pos, Block - (abs % Block));
                        if (!buffer.AsSpan(pos, len).ContainsAnyExcept((byte)0))
                        {
                            if (Flush(label) is { } item)
                            {
                                yield return item;
                            }
                        }
                        else
                        {
                            if (_regionStart >= 0 && _regionLength + len > MaxRegionSize)
                            {
                                if (Flush(label) is { } full)
                                {
                                    yield return full;
                                }
                            }

                            Append(abs, buffer.AsSpan(pos, len));
                        }

                        pos += len;
                    }

                    at = stop;
                }
            }

            if (Flush(label) is { } last)
            {
                yield return last;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Append(long offset, ReadOnlySpan<byte> block)
    {
        if (_regionStart < 0)
        {
            _regionStart = offset;
            _regionLength = 0;
        }

        block.CopyTo(_window.AsSpan(_pending));
        _pending += block.Length;
        _regionLength += block.Length;

        // With at least MaxSize bytes in the window, NextBoundary cuts where it would on the whole region.
        while (_pending >= _max)
        {
            Cut();
        }
    }

    private void Cut()
    {
        var data = _window.AsSpan(0, _pending);
        int length = _cdc.NextBoundary(data);
        _chunks.Add(new ChunkSpan(_hasher.Hash(data[..length]), length));
        data[length..].CopyTo(_window);
        _pending -= length;
    }

    private ContentItem? Flush(Func<long, (int? Volume, string Label)> label)
    {
        if (_regionStart < 0)
        {
            return null;
        }

        while (_pending > 0)
        {
            Cut();
        }

        var (volume, name) = label(_regionStart);
        var item = new ContentItem
        {
            Kind = ContentItemKind.Region,
            Volume = volume,
            DiskOffset = _regionStart,
            Label = name,
            Size = _regionLength,
            Chunks = _chunks,
        };
        _chunks = [];
        _regionStart = -1;
        _regionLength = 0;
        return item;
    }
}

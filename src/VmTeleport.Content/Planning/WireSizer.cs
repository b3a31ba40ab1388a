using VmTeleport.Content.Chunking;
using VmTeleport.Content.Images;
using VmTeleport.Disks;
using VmTeleport.FileSystems;
using VmTeleport.Guests;
using VmTeleport.Guests.Volumes;
using ZstdSharp;

namespace VmTeleport.Content.Planning;

/// <summary>
/// Measures what the chunks that must cross the wire cost once compressed: their bytes are read
/// again from the source (only the files and regions that hold them) and compressed with zstd
/// level 3 in batches of <see cref="BatchBytes"/>, as the transfer sends them. Also estimates a
/// plain copy's compressed size from evenly spaced samples of the image's allocated data.
/// </summary>
public static class WireSizer
{
    public const int BatchBytes = 4 << 20;
    public const int Level = 3;
    private const int SampleBytes = 1 << 20;
    private const int Samples = 64;

    public static long CompressedSize(string spec, IReadOnlyList<ContentItem> items, IReadOnlySet<ChunkId> wire)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(wire);
        if (wire.Count == 0)
        {
            return 0;
        }

        using var disk = DiskImage.Open(spec);
        using var batch = new Batch();
        var sent = new HashSet<ChunkId>();
        var filesystems = new Dictionary<int, IFileSystem>();
        var buffer = new byte[ChunkerOptions.Default.MaxSize];
        try
        {
            foreach (var item in items.Where(i => i.Chunks.Any(c => wire.Contains(c.Id) && !sent.Contains(c.Id))))
            {
                using var stream = item.Kind == ContentItemKind.File
                    ? OpenFile(disk, filesystems, item)
                    : new BlockSourceStream(new BlockSlice(disk, item.DiskOffset!.Value, item.Size, disk.Description));
                foreach (var chunk in item.Chunks)
                {
                    if (buffer.Length < chunk.Length)
                    {
                        buffer = new byte[chunk.Length];
                    }

                    stream.ReadExactly(buffer, 0, chunk.Length);
                    if (wire.Contains(chunk.Id) && sent.Add(chunk.Id))
                    {
                        batch.Add(buffer.AsSpan(0, chunk.Length));
                    }
                }
            }
        }
        finally
        {
            foreach (var fs in filesystems.Values)
            {
                fs.Dispose();
            }
        }

        return batch.Finish();
    }

    /// <summary>
    /// zstd -3 of the image's allocated data: all of it when it is at most <see cref="Samples"/> MiB,
    /// else <see cref="Samples"/> evenly spaced 1 MiB runs of it (each may span extents), scaled.
    /// </summary>
    public static PlainCopy EstimatePlainCopy(string spec)
    {
        using var disk = DiskImage.Open(spec);
        var data = disk.GetExtents(0, disk.Length).Where(e => e.Kind == ExtentKind.Data).ToList();
        long allocated = data.Sum(e => e.Length);
        if (allocated == 0)
        {
            return new PlainCopy(0, 0, 0, "nothing allocated");
        }

        using var compressor = new Compressor(Level);
        var buffer = new byte[SampleBytes];
        long sampled = 0, compressed = 0;
        bool whole = allocated <= (long)Samples * SampleBytes;
        long stride = whole ? SampleBytes : allocated / Samples;
        for (long at = 0; at < allocated; at += stride)
        {
            int n = ReadAllocated(disk, data, at, buffer);
            sampled += n;
            compressed += compressor.Wrap(buffer.AsSpan(0, n)).Length;
        }

        long estimate = whole ? compressed : (long)Math.Round(allocated * ((double)compressed / sampled));
        var method = whole
            ? $"zstd -{Level} of all {allocated} allocated bytes in 1 MiB pieces"
            : $"zstd -{Level} of {Samples} runs of 1 MiB spread evenly over the allocated data, scaled";
        return new PlainCopy(allocated, estimate, sampled, method);
    }

    /// <summary>Fills <paramref name="buffer"/> from the allocated bytes starting at logical position <paramref name="at"/> (allocated data only, in disk order).</summary>
    private static int ReadAllocated(IBlockSource disk, List<DiskExtent> data, long at, byte[] buffer)
    {
        int filled = 0;
        long skip = at;
        foreach (var e in data)
        {
            if (skip >= e.Length)
            {
                skip -= e.Length;
                continue;
            }

            int n = (int)Math.Min(buffer.Length - filled, e.Length - skip);
            disk.ReadAt(e.Offset + skip, buffer.AsSpan(filled, n));
            filled += n;
            skip = 0;
            if (filled == buffer.Length)
            {
                break;
            }
        }

        return filled;
    }

    private static Stream OpenFile(IBlockSource disk, Dictionary<int, IFileSystem> filesystems, ContentItem item)
    {
        int volume = item.Volume ?? 0;
        if (!filesystems.TryGetValue(volume, out var fs))
        {
            fs = FileSystemProbe.Open(PartitionTable.Read(disk).Volume(disk, volume));
            filesystems[volume] = fs;
        }

        var entry = GuestFiles.Find(fs, item.Path!) ?? throw new InvalidDataException($"{disk.Description}: {item.Path} on volume {volume} disappeared while planning");
        return fs.OpenRead(entry);
    }

    /// <summary>Accumulates chunk bytes and compresses every full batch; the total is what the wire carries.</summary>
    private sealed class Batch : IDisposable
    {
        private readonly Compressor _compressor = new(Level);
        private readonly byte[] _buffer = new byte[BatchBytes];
        private int _used;
        private long _total;

        public void Add(ReadOnlySpan<byte> chunk)
        {
            if (_used + chunk.Length > _buffer.Length)
            {
                Flush();
            }

            chunk.CopyTo(_buffer.AsSpan(_used));
            _used += chunk.Length;
        }

        public long Finish()
        {
            Flush();
            return _total;
        }

        private void Flush()
        {
            if (_used > 0)
            {
                _total += _compressor.Wrap(_buffer.AsSpan(0, _used)).Length;
                _used = 0;
            }
        }

        public void Dispose() => _compressor.Dispose();
    }
}

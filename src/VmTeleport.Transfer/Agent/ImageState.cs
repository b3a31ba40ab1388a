using System.Buffers;
using VmTeleport.Content.Chunking;
using VmTeleport.Content.Images;
using VmTeleport.Disks;
using VmTeleport.FileSystems;
using VmTeleport.Transfer.Protocol;
using ZstdSharp;

namespace VmTeleport.Transfer.Agent;

/// <summary>
/// One state of a served image (its size and mtime): the walk's items, the manifest as sent
/// (zstd-compressed JSON Lines), the map from chunk id to where its bytes lie, and the opened
/// disk and filesystems the chunks are read from. Built once per state, then read by any number
/// of requests at once.
/// </summary>
internal sealed class ImageState : IDisposable
{
    private readonly Dictionary<int, IFileSystem> _fileSystems = [];
    private readonly Lock _fsLock = new();
    private readonly PartitionTable _table;

    private ImageState(string key, IBlockSource disk, PartitionTable table, List<ContentItem> items,
        Dictionary<ChunkId, ChunkLocation> locations, byte[] manifest, long manifestRawBytes)
    {
        Key = key;
        Disk = disk;
        _table = table;
        Items = items;
        Locations = locations;
        Manifest = manifest;
        ManifestRawBytes = manifestRawBytes;
    }

    /// <summary>"SIZE-MTIME_TICKS" of the image file when this state was read.</summary>
    public string Key { get; }

    public IBlockSource Disk { get; }

    public IReadOnlyList<ContentItem> Items { get; }

    /// <summary>Each distinct chunk id's first occurrence in walk order.</summary>
    public IReadOnlyDictionary<ChunkId, ChunkLocation> Locations { get; }

    /// <summary>The manifest body as sent: zstd of the JSON Lines.</summary>
    public byte[] Manifest { get; }

    public long ManifestRawBytes { get; }

    /// <summary>The description JSON, made on first request (it reads the guest again).</summary>
    public string? Description { get; set; }

    /// <summary>What a plain copy of the image file would carry, made with the description.</summary>
    public PlainCopyOffer? PlainCopy { get; set; }

    /// <summary>The disk layout as sent (zstd of <see cref="Protocol.LayoutLines"/>), made on first request.</summary>
    public byte[]? Layout { get; set; }

    /// <summary>Reads every ext volume's entries and parameters and compresses the layout document.</summary>
    public byte[] BuildLayout()
    {
        var layout = Content.Layout.DiskLayout.Read(Disk, Items);
        var jsonl = new ArrayBufferWriter<byte>(1 << 20);
        Protocol.LayoutLines.Write(jsonl, layout);
        using var compressor = new Compressor(Protocol.ChunkCompression.ZstdLevel);
        return compressor.Wrap(jsonl.WrittenSpan).ToArray();
    }

    public static ImageState Build(string spec, string key, int threads)
    {
        var disk = DiskImage.Open(spec);
        try
        {
            var items = new List<ContentItem>();
            var locations = new Dictionary<ChunkId, ChunkLocation>();
            var jsonl = new ArrayBufferWriter<byte>(1 << 20);
            using var compressed = new MemoryStream();
            using (var zstd = new CompressionStream(compressed, Protocol.ChunkCompression.ZstdLevel, leaveOpen: true))
            {
                long raw = 0;
                foreach (var item in ImageContent.Walk(disk, threads))
                {
                    long offset = 0;
                    foreach (var chunk in item.Chunks)
                    {
                        locations.TryAdd(chunk.Id, new ChunkLocation(items.Count, offset, chunk.Length));
                        offset += chunk.Length;
                    }

                    items.Add(item);
                    Protocol.ManifestLines.Write(jsonl, item);
                    if (jsonl.WrittenCount > 1 << 20)
                    {
                        zstd.Write(jsonl.WrittenSpan);
                        raw += jsonl.WrittenCount;
                        jsonl.ResetWrittenCount();
                    }
                }

                zstd.Write(jsonl.WrittenSpan);
                raw += jsonl.WrittenCount;
                zstd.Flush();
                zstd.Dispose();
                return new ImageState(key, disk, PartitionTable.Read(disk), items, locations, compressed.ToArray(), raw);
            }
        }
        catch
        {
            disk.Dispose();
            throw;
        }
    }

    /// <summary>Reads <paramref name="destination"/>.Length bytes of item <paramref name="item"/> at <paramref name="offset"/>, reusing <paramref name="open"/> while the item stays the same.</summary>
    public void Read(int item, long offset, Span<byte> destination, ref OpenItem open)
    {
        var content = Items[item];
        if (content.Kind == ContentItemKind.Region)
        {
            Disk.ReadAt(content.DiskOffset!.Value + offset, destination);
            return;
        }

        if (open.Item != item || open.Stream is null)
        {
            open.Stream?.Dispose();
            var fs = FileSystemOf(content.Volume ?? 0);
            open = new OpenItem(item, fs.OpenRead(fs.GetEntry(content.Path!)));
        }

        var stream = open.Stream!;
        stream.Position = offset;
        stream.ReadExactly(destination);
    }

    private IFileSystem FileSystemOf(int volume)
    {
        lock (_fsLock)
        {
            if (_fileSystems.TryGetValue(volume, out var fs))
            {
                return fs;
            }

            fs = FileSystemProbe.Open(_table.Volume(Disk, volume));
            _fileSystems[volume] = fs;
            return fs;
        }
    }

    public void Dispose()
    {
        lock (_fsLock)
        {
            foreach (var fs in _fileSystems.Values)
            {
                fs.Dispose();
            }

            _fileSystems.Clear();
        }

        Disk.Dispose();
    }
}

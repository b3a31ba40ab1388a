using VmTeleport.Content.Chunking;
using VmTeleport.Content.Index;
using VmTeleport.Content.Layout;
using VmTeleport.Disks;
using VmTeleport.FileSystems;

namespace VmTeleport.Rebuild.Pull;

/// <summary>
/// Reads chunks where the content index found them in local images, snapshots and backing files:
/// a file's bytes through its filesystem, a raw region's straight from the virtual disk. Every
/// chunk is hashed again before it is used, so an image changed since it was indexed yields a
/// miss (<see cref="TryRead"/> false), never wrong bytes. Images and filesystems are opened once
/// and shared by all threads; the file last read stays open per thread, because consecutive
/// chunks of a file mostly come from one local file.
/// </summary>
public sealed class LocalChunkReader : IDisposable
{
    private readonly Dictionary<long, IBlockSource> _disks = [];
    private readonly Dictionary<(long, int), IFileSystem> _fileSystems = [];
    private readonly Lock _lock = new();
    private readonly ThreadLocal<OpenFile?> _open = new(trackAllValues: true);
    private readonly ChunkHasher _hasher = ChunkHasher.Default;
    private long _misses;

    /// <summary>Chunks that could not be read or did not hash to their id (the local source changed).</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Reads the chunk at <paramref name="at"/> into <paramref name="destination"/> (its length) and checks it is <paramref name="id"/>.</summary>
    public bool TryRead(ChunkId id, ChunkLocation at, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(at);
        if (at.Kind is not (SourceKind.Image or SourceKind.Snapshot or SourceKind.Backing) || destination.Length != at.Length)
        {
            throw new ArgumentException($"chunk {id}: {at.Kind} location {at.Location} cannot be read at random, or length {destination.Length} ≠ {at.Length}", nameof(at));
        }

        try
        {
            if (at.RawOffset is { } raw)
            {
                Disk(at).ReadAt(raw + at.Offset, destination);
            }
            else
            {
                var stream = FileStream(at);
                stream.Position = at.Offset;
                stream.ReadExactly(destination);
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FileNotFoundException or KeyNotFoundException or NotSupportedException or EndOfStreamException)
        {
            _open.Value = null;
            Interlocked.Increment(ref _misses);
            return false;
        }

        if (_hasher.Hash(destination) != id)
        {
            Interlocked.Increment(ref _misses);
            return false;
        }

        return true;
    }

    private Stream FileStream(ChunkLocation at)
    {
        var open = _open.Value;
        if (open is not null && open.Source == at.SourceId && open.Volume == (at.Volume ?? 0) && open.Path == at.Path)
        {
            return open.Stream;
        }

        open?.Stream.Dispose();
        var fs = FileSystem(at);
        var entry = fs.GetEntry(at.Path!);
        if (entry.Type != EntryType.File)
        {
            throw new InvalidDataException($"{at.Location}: {at.Path} is now a {entry.Type}");
        }

        var stream = fs.OpenRead(entry);
        _open.Value = new OpenFile(at.SourceId, at.Volume ?? 0, at.Path!, stream);
        return stream;
    }

    private IBlockSource Disk(ChunkLocation at)
    {
        lock (_lock)
        {
            if (!_disks.TryGetValue(at.SourceId, out var disk))
            {
                disk = DiskImage.Open(at.Snapshot is null ? at.Location : $"{at.Location}@{at.Snapshot}");
                _disks[at.SourceId] = disk;
            }

            return disk;
        }
    }

    private IFileSystem FileSystem(ChunkLocation at)
    {
        var disk = Disk(at);
        lock (_lock)
        {
            var key = (at.SourceId, at.Volume ?? 0);
            if (!_fileSystems.TryGetValue(key, out var fs))
            {
                fs = FileSystemProbe.Open(DiskLayout.VolumeSource(disk, at.Volume ?? 0));
                _fileSystems[key] = fs;
            }

            return fs;
        }
    }

    public void Dispose()
    {
        foreach (var open in _open.Values)
        {
            open?.Stream.Dispose();
        }

        _open.Dispose();
        foreach (var fs in _fileSystems.Values)
        {
            fs.Dispose();
        }

        foreach (var disk in _disks.Values)
        {
            disk.Dispose();
        }
    }

    private sealed record OpenFile(long Source, int Volume, string Path, Stream Stream);
}

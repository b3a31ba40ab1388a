using Microsoft.Win32.SafeHandles;
using VmTeleport.Content.Chunking;

namespace VmTeleport.Transfer.Store;

/// <summary>
/// Chunks appended to pack files <c>ROOT/packs/NNNNNN.pack</c> (a new one past about 1 GiB), each
/// behind a self-describing record header, with an append-only index <c>ROOT/index</c> of id →
/// pack, offset, length loaded into memory on open. <see cref="Contains"/> is a dictionary lookup,
/// <see cref="TryRead(ChunkId, out byte[])"/> one positioned read and a re-hash. The byte format
/// and the crash and power-loss semantics are in docs/chunk-store.md.
/// <para>
/// Crash safety without an fsync per chunk: records are appended in order under one lock; index
/// entries are written in batches after their records, so on open the index is read up to its last
/// whole entry and every pack is scanned from its last indexed record to its end, taking each
/// record whose header CRC and SHA-256 check out and truncating the pack at the first that does
/// not (a torn tail). A chunk later found damaged is dropped from memory and a "removed" entry is
/// appended to the index, so the store stops claiming it and the caller fetches it again.
/// </para>
/// <para>
/// One process at a time: <c>ROOT/lock</c> is held open with <see cref="FileShare.None"/> (an
/// exclusive <c>flock</c> on Linux, released by the kernel when the process dies), and a second
/// open fails with an <see cref="IOException"/> naming the directory.
/// </para>
/// </summary>
public sealed partial class PackChunkStore : IChunkStore, IDisposable
{
    /// <summary>Pack files roll over once they would pass this many bytes.</summary>
    public const long DefaultPackBytes = 1L << 30;

    /// <summary>The largest chunk a record may hold; a header claiming more is damage, not a chunk.</summary>
    public const int MaxChunkLength = 64 << 20;

    internal const int MaxPackNumber = 999_999;
    internal const int PackHeaderSize = 8;

    // Index entries wait in memory until this many are pending: one write per ~56 KiB instead of one
    // per chunk. What is lost by a crash before the write, the pack scan on open finds again.
    private const int IndexBatch = 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<ChunkId, PackLocation> _chunks = [];
    private readonly List<SafeFileHandle?> _packs = [];
    private readonly List<PackIndexEntry> _pending = [];
    private readonly long _packBytes;
    private FileStream _lock = null!;
    private SafeFileHandle _index = null!;
    private long _indexEnd;
    private int _tailPack;
    private long _tailEnd;
    private long _bytes;
    private byte[] _record = new byte[PackRecordHeader.Size + (64 << 10)];
    private bool _disposed;

    /// <summary>Opens (creating if needed) the store at <paramref name="root"/>, recovering what a killed process left.</summary>
    /// <exception cref="IOException">Another process holds the store, or the disk failed.</exception>
    /// <exception cref="InvalidDataException">A file under <paramref name="root"/> is not in the pack store's format.</exception>
    public PackChunkStore(string root, long packBytes = DefaultPackBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentOutOfRangeException.ThrowIfLessThan(packBytes, PackHeaderSize + PackRecordHeader.Size);
        Root = Path.GetFullPath(root);
        _packBytes = packBytes;
        Open();
    }

    public string Root { get; }

    /// <summary>Chunks stored.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _chunks.Count;
            }
        }
    }

    /// <summary>Bytes of the chunks stored (not counting headers, or records dropped as damaged).</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Records the last open found in the packs beyond the index (written after its last batch).</summary>
    public int RecoveredOnOpen { get; private set; }

    /// <summary>Bytes the last open cut from the ends of packs: torn records, garbage.</summary>
    public long TruncatedOnOpen { get; private set; }

    public bool Contains(ChunkId id)
    {
        lock (_gate)
        {
            return _chunks.ContainsKey(id);
        }
    }

    /// <summary>The chunk's length without reading it, e.g. to size a buffer for <see cref="TryRead(ChunkId, Span{byte}, out int)"/>.</summary>
    public bool TryGetLength(ChunkId id, out int length)
    {
        lock (_gate)
        {
            var found = _chunks.TryGetValue(id, out var location);
            length = location.Length;
            return found;
        }
    }

    public bool TryRead(ChunkId id, out byte[] data)
    {
        if (!TryLocate(id, out var location, out var pack))
        {
            data = [];
            return false;
        }

        data = GC.AllocateUninitializedArray<byte>(location.Length);
        if (ReadChecked(id, location, pack, data))
        {
            return true;
        }

        data = [];
        return false;
    }

    /// <summary>
    /// Reads the chunk into <paramref name="destination"/> without allocating; false when absent or
    /// found damaged (and then dropped). <paramref name="destination"/> must hold the whole chunk.
    /// </summary>
    public bool TryRead(ChunkId id, Span<byte> destination, out int length)
    {
        length = 0;
        if (!TryLocate(id, out var location, out var pack))
        {
            return false;
        }

        if (destination.Length < location.Length)
        {
            throw new ArgumentException(
                $"chunk {id} is {location.Length} bytes, the destination holds {destination.Length}", nameof(destination));
        }

        if (!ReadChecked(id, location, pack, destination[..location.Length]))
        {
            return false;
        }

        length = location.Length;
        return true;
    }

    public void Write(ChunkId id, ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxChunkLength)
        {
            throw new ArgumentException($"chunk {id} is {data.Length} bytes, more than the pack store's limit of {MaxChunkLength}", nameof(data));
        }

        // Hashed outside the lock: it is the expensive part, and parallel writers hash in parallel.
        var actual = ChunkHasher.Default.Hash(data);
        if (actual != id)
        {
            throw new InvalidDataException($"refusing to store {data.Length} bytes as chunk {id}: they hash to {actual}");
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_chunks.ContainsKey(id))
            {
                return;
            }

            // A full batch is written before the record, so if the index cannot be written (disk
            // full) the chunk is not stored either and the exception is the caller's to see.
            if (_pending.Count >= IndexBatch)
            {
                FlushIndexLocked();
            }

            Append(id, data);
        }
    }

    /// <summary>Every chunk id present, a snapshot, for checks and tools.</summary>
    public IEnumerable<ChunkId> Enumerate()
    {
        lock (_gate)
        {
            return [.. _chunks.Keys];
        }
    }

    /// <summary>
    /// Re-reads and re-hashes every chunk, dropping the damaged ones (as <see cref="TryRead(ChunkId, out byte[])"/>
    /// would); returns how many were dropped. For a check after a power loss, when <see cref="Contains"/>
    /// may still claim a chunk whose bytes never reached the disk.
    /// </summary>
    public int Verify()
    {
        int dropped = 0;
        var buffer = new byte[64 << 10];
        foreach (var id in Enumerate())
        {
            if (!TryLocate(id, out var location, out var pack))
            {
                continue;
            }

            if (buffer.Length < location.Length)
            {
                buffer = new byte[location.Length];
            }

            if (!ReadChecked(id, location, pack, buffer.AsSpan(0, location.Length)))
            {
                dropped++;
            }
        }

        return dropped;
    }

    /// <summary>
    /// Makes everything written so far durable: writes the pending index entries and fsyncs the
    /// packs and the index. Without it (or <see cref="Dispose"/>) a crash of the process loses
    /// nothing, a power loss may lose recent chunks (see docs/chunk-store.md).
    /// </summary>
    public void Flush()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            FlushIndexLocked();
            try
            {
                foreach (var pack in _packs)
                {
                    if (pack is not null)
                    {
                        RandomAccess.FlushToDisk(pack);
                    }
                }

                RandomAccess.FlushToDisk(_index);
            }
            catch (IOException e)
            {
                throw new IOException($"chunk store {Root}: could not flush to disk: {e.Message}", e);
            }
        }
    }

    /// <summary>
    /// Flushes (<see cref="Flush"/>) and releases the store. An I/O error here is swallowed: it
    /// loses nothing the next open cannot recover from the packs, and Dispose must not throw.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                Flush();
            }
            catch (IOException)
            {
                // Index entries not written are found again by the pack scan on the next open.
            }
            finally
            {
                _disposed = true;
                CloseHandles();
            }
        }
    }

    /// <summary>Test hook: lets go of the files as a killed process would, writing nothing more.</summary>
    internal void Abandon()
    {
        lock (_gate)
        {
            _disposed = true;
            CloseHandles();
        }
    }

    /// <summary>Test hook: where a chunk's record is.</summary>
    internal PackLocation LocationOf(ChunkId id)
    {
        lock (_gate)
        {
            return _chunks[id];
        }
    }

    internal string PackPath(int pack) => Path.Combine(Root, "packs", pack.ToString("D6", System.Globalization.CultureInfo.InvariantCulture) + ".pack");

    private bool TryLocate(ChunkId id, out PackLocation location, out SafeFileHandle pack)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_chunks.TryGetValue(id, out location))
            {
                pack = _packs[location.Pack]!;
                return true;
            }

            pack = null!;
            return false;
        }
    }

    private bool ReadChecked(ChunkId id, PackLocation location, SafeFileHandle pack, Span<byte> destination)
    {
        if (ReadExactly(pack, destination, location.DataOffset) && ChunkHasher.Default.Hash(destination) == id)
        {
            return true;
        }

        Drop(id, location);
        return false;
    }

    /// <summary>Forgets a chunk found damaged, in memory and (by a "removed" entry) in the index.</summary>
    private void Drop(ChunkId id, PackLocation location)
    {
        lock (_gate)
        {
            if (_disposed || !_chunks.TryGetValue(id, out var current) || current != location)
            {
                return;
            }

            _chunks.Remove(id);
            _bytes -= location.Length;
            _pending.Add(new PackIndexEntry(id, location, Removed: true));
            try
            {
                // Now rather than with the next batch: a reopen must not claim the chunk again.
                FlushIndexLocked();
            }
            catch (IOException)
            {
                // Kept pending and written with the next batch; until then a crash only means the
                // chunk is found damaged once more.
            }
        }
    }

    private void CloseHandles()
    {
        foreach (var pack in _packs)
        {
            pack?.Dispose();
        }

        _index?.Dispose();
        _lock?.Dispose();
    }
}

using System.Globalization;
using Microsoft.Win32.SafeHandles;
using VmTeleport.Content.Chunking;

namespace VmTeleport.Transfer.Store;

/// <summary>Opening: the lock, the packs, the index up to its last whole entry, the scan of what came after.</summary>
public sealed partial class PackChunkStore
{
    private string IndexPath => Path.Combine(Root, "index");

    private static ReadOnlySpan<byte> PackMagic => "VMTPACK1"u8;

    private static ReadOnlySpan<byte> IndexMagic => "VMTINDX1"u8;

    private void Open()
    {
        Directory.CreateDirectory(Path.Combine(Root, "packs"));
        _lock = AcquireLock();
        try
        {
            var sizes = OpenPacks();
            var indexedEnds = new long[_packs.Count];
            bool rewrite = LoadIndex(sizes, indexedEnds);
            var recovered = new List<PackIndexEntry>();
            for (int p = 0; p < _packs.Count; p++)
            {
                if (_packs[p] is not null)
                {
                    Scan(p, Math.Max(indexedEnds[p], PackHeaderSize), sizes, recovered);
                }
            }

            RecoveredOnOpen = recovered.Count;
            foreach (var location in _chunks.Values)
            {
                _bytes += location.Length;
            }

            int tail = _packs.FindLastIndex(h => h is not null);
            if (tail < 0)
            {
                StartPack(0);
            }
            else
            {
                _tailPack = tail;
                _tailEnd = sizes[tail];
            }

            if (rewrite)
            {
                RewriteIndex();
            }
            else
            {
                _pending.AddRange(recovered);
                FlushIndexLocked();
            }
        }
        catch
        {
            CloseHandles();
            throw;
        }
    }

    private FileStream AcquireLock()
    {
        var path = Path.Combine(Root, "lock");
        FileStream file;
        try
        {
            // FileShare.None is an exclusive flock(2) on Linux: held while the handle is open,
            // released by the kernel however the process ends.
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new IOException(
                $"chunk store {Root} is in use by another vmteleport process (it holds {path}); one process at a time may use a data directory: {e.Message}", e);
        }

        // For a person looking at the directory; the lock itself is the flock, so a full disk
        // that keeps the pid from being written must not keep the store from opening.
        try
        {
            file.SetLength(0);
            file.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
            file.Flush();
        }
        catch (IOException)
        {
        }

        return file;
    }

    /// <summary>Opens every NNNNNN.pack, checks its header, returns the sizes by pack number.</summary>
    private List<long> OpenPacks()
    {
        var numbers = new List<int>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "packs"), "*.pack"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (name.Length == 6 && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                numbers.Add(n);
            }
        }

        numbers.Sort();
        var sizes = new List<long>();
        Span<byte> magic = stackalloc byte[PackHeaderSize];
        foreach (var n in numbers)
        {
            var path = PackPath(n);
            var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            while (_packs.Count <= n)
            {
                _packs.Add(null);
                sizes.Add(0);
            }

            _packs[n] = handle;
            long length = RandomAccess.GetLength(handle);
            if (length < PackHeaderSize)
            {
                // Created, header not yet written when the process died: it holds no record.
                RandomAccess.SetLength(handle, 0);
                RandomAccess.Write(handle, PackMagic, 0);
                length = PackHeaderSize;
            }
            else if (!ReadExactly(handle, magic, 0) || !magic.SequenceEqual(PackMagic))
            {
                throw new InvalidDataException(
                    $"{path} is not a VM Teleport pack file: it starts with {Convert.ToHexString(magic)}, not \"VMTPACK1\"");
            }

            sizes[n] = length;
        }

        return sizes;
    }

    /// <summary>
    /// Reads the index into memory up to its last whole, undamaged entry, keeping only entries whose
    /// record lies inside its pack; returns whether the file should be rewritten (it had a torn or
    /// damaged entry, or one pointing past the end of a pack).
    /// </summary>
    private bool LoadIndex(List<long> sizes, long[] indexedEnds)
    {
        var path = IndexPath;
        if (!File.Exists(path))
        {
            // A new store, or an index deleted on purpose: the scan of every pack from its start rebuilds it.
            _index = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite);
            RandomAccess.Write(_index, IndexMagic, 0);
            _indexEnd = IndexMagic.Length;
            return false;
        }

        _index = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        long length = RandomAccess.GetLength(_index);
        Span<byte> magic = stackalloc byte[IndexMagic.Length];
        if (length < IndexMagic.Length)
        {
            return true;
        }

        if (!ReadExactly(_index, magic, 0) || !magic.SequenceEqual(IndexMagic))
        {
            throw new InvalidDataException(
                $"{path} is not a VM Teleport pack index: it starts with {Convert.ToHexString(magic)}, not \"VMTINDX1\" (delete it and the store rebuilds it from the packs)");
        }

        long at = IndexMagic.Length;
        bool rewrite = false;
        var block = new byte[4096 * PackIndexEntry.Size];
        while (at + PackIndexEntry.Size <= length)
        {
            int want = (int)Math.Min(block.Length, (length - at) / PackIndexEntry.Size * PackIndexEntry.Size);
            if (!ReadExactly(_index, block.AsSpan(0, want), at))
            {
                break;
            }

            for (int i = 0; i < want; i += PackIndexEntry.Size)
            {
                if (!PackIndexEntry.TryParse(block.AsSpan(i, PackIndexEntry.Size), out var entry))
                {
                    // Damaged (a power loss can leave any block of the file stale): what follows is
                    // not trusted either; the pack scan finds those records again.
                    _indexEnd = at;
                    return true;
                }

                at += PackIndexEntry.Size;
                var location = entry.Location;
                if (location.Pack >= _packs.Count || _packs[location.Pack] is null || location.End > sizes[location.Pack])
                {
                    rewrite = true;
                    continue;
                }

                indexedEnds[location.Pack] = Math.Max(indexedEnds[location.Pack], location.End);
                if (!entry.Removed)
                {
                    _chunks[entry.Id] = location;
                }
                else if (_chunks.TryGetValue(entry.Id, out var current) && current == location)
                {
                    _chunks.Remove(entry.Id);
                }
            }
        }

        _indexEnd = at;
        return rewrite || at != length;
    }

    /// <summary>
    /// Takes every whole record from <paramref name="start"/> to the end of pack <paramref name="pack"/>
    /// and cuts the pack at the first that is not (torn header, short data, bytes not hashing to the id).
    /// </summary>
    private void Scan(int pack, long start, List<long> sizes, List<PackIndexEntry> recovered)
    {
        var handle = _packs[pack]!;
        long size = sizes[pack];
        long at = start;
        Span<byte> header = stackalloc byte[PackRecordHeader.Size];
        var data = Array.Empty<byte>();
        while (at + PackRecordHeader.Size <= size
            && ReadExactly(handle, header, at)
            && PackRecordHeader.TryParse(header, out var record)
            && at + PackRecordHeader.Size + record.Length <= size)
        {
            if (data.Length < record.Length)
            {
                data = new byte[Math.Max(record.Length, 64 << 10)];
            }

            var bytes = data.AsSpan(0, record.Length);
            if (!ReadExactly(handle, bytes, at + PackRecordHeader.Size) || ChunkHasher.Default.Hash(bytes) != record.Id)
            {
                break;
            }

            var location = new PackLocation(at, pack, record.Length);
            _chunks[record.Id] = location;
            recovered.Add(new PackIndexEntry(record.Id, location, Removed: false));
            at = location.End;
        }

        if (at < size)
        {
            RandomAccess.SetLength(handle, at);
            TruncatedOnOpen += size - at;
            sizes[pack] = at;
        }
    }

    /// <summary>Replaces the index with the chunks in memory, through a new file renamed over the old.</summary>
    private void RewriteIndex()
    {
        var entries = _chunks.Select(c => new PackIndexEntry(c.Key, c.Value, Removed: false))
            .OrderBy(e => e.Location.Pack).ThenBy(e => e.Location.Offset).ToList();
        var path = IndexPath;
        var fresh = path + ".new";
        using (var handle = File.OpenHandle(fresh, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            RandomAccess.Write(handle, IndexMagic, 0);
            long at = IndexMagic.Length;
            var block = new byte[4096 * PackIndexEntry.Size];
            for (int first = 0; first < entries.Count; first += 4096)
            {
                int n = Math.Min(4096, entries.Count - first);
                for (int i = 0; i < n; i++)
                {
                    entries[first + i].WriteTo(block.AsSpan(i * PackIndexEntry.Size));
                }

                RandomAccess.Write(handle, block.AsSpan(0, n * PackIndexEntry.Size), at);
                at += n * PackIndexEntry.Size;
            }

            // Durable before the rename: a power loss then leaves the old index or the whole new one.
            RandomAccess.FlushToDisk(handle);
        }

        _index?.Dispose();
        File.Move(fresh, path, overwrite: true);
        _index = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        _indexEnd = IndexMagic.Length + (long)entries.Count * PackIndexEntry.Size;
    }

    private static bool ReadExactly(SafeFileHandle handle, Span<byte> destination, long offset)
    {
        int read = 0;
        while (read < destination.Length)
        {
            int n = RandomAccess.Read(handle, destination[read..], offset + read);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}

using VmTeleport.Content.Chunking;

namespace VmTeleport.Transfer.Store;

/// <summary>Appending records and index entries; every method here runs under the store's lock.</summary>
public sealed partial class PackChunkStore
{
    private void Append(ChunkId id, ReadOnlySpan<byte> data)
    {
        long size = PackRecordHeader.Size + data.Length;
        if (_tailEnd + size > _packBytes && _tailEnd > PackHeaderSize)
        {
            StartPack(_tailPack + 1);
        }

        // Header and bytes in one buffer, one pwrite: a kill between two writes would leave a
        // header without its chunk more often than one write torn in the middle.
        if (_record.Length < size)
        {
            _record = new byte[size];
        }

        new PackRecordHeader(id, data.Length).WriteTo(_record);
        data.CopyTo(_record.AsSpan(PackRecordHeader.Size));
        var location = new PackLocation(_tailEnd, _tailPack, data.Length);
        var pack = _packs[_tailPack]!;
        try
        {
            RandomAccess.Write(pack, _record.AsSpan(0, (int)size), location.Offset);
        }
        catch (IOException e)
        {
            // Disk full or an I/O error: part of the record may be in the file. Cut it off so the
            // pack ends at its last whole record; if even that fails, the next open's scan does it.
            try
            {
                RandomAccess.SetLength(pack, location.Offset);
            }
            catch (IOException)
            {
            }

            throw new IOException(
                $"chunk store {Root}: could not append chunk {id} ({data.Length} bytes) to {PackPath(_tailPack)} at offset {location.Offset}: {e.Message}", e);
        }

        _tailEnd = location.End;
        _chunks[id] = location;
        _bytes += data.Length;
        _pending.Add(new PackIndexEntry(id, location, Removed: false));
    }

    private void StartPack(int number)
    {
        if (number > MaxPackNumber)
        {
            throw new IOException($"chunk store {Root} has {MaxPackNumber + 1} packs, the most its names allow");
        }

        var path = PackPath(number);
        try
        {
            var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite);
            try
            {
                RandomAccess.Write(handle, PackMagic, 0);
            }
            catch
            {
                handle.Dispose();
                File.Delete(path);
                throw;
            }

            while (_packs.Count <= number)
            {
                _packs.Add(null);
            }

            _packs[number] = handle;
        }
        catch (IOException e)
        {
            throw new IOException($"chunk store {Root}: could not start pack {path}: {e.Message}", e);
        }

        _tailPack = number;
        _tailEnd = PackHeaderSize;
    }

    /// <summary>Writes the pending index entries; on failure they stay pending and the index keeps its last whole entry.</summary>
    private void FlushIndexLocked()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var buffer = new byte[_pending.Count * PackIndexEntry.Size];
        for (int i = 0; i < _pending.Count; i++)
        {
            _pending[i].WriteTo(buffer.AsSpan(i * PackIndexEntry.Size));
        }

        try
        {
            RandomAccess.Write(_index, buffer, _indexEnd);
        }
        catch (IOException e)
        {
            try
            {
                RandomAccess.SetLength(_index, _indexEnd);
            }
            catch (IOException)
            {
            }

            throw new IOException($"chunk store {Root}: could not append to its index {IndexPath}: {e.Message}", e);
        }

        _indexEnd += buffer.Length;
        _pending.Clear();
    }
}

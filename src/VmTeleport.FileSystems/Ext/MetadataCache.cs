using VmTeleport.Disks;

namespace VmTeleport.FileSystems.Ext;

/// <summary>
/// A bounded LRU of aligned 64 KiB lines (or one block, when blocks are larger) of the source,
/// for metadata read many times in small pieces: inode tables, extent and indirect blocks,
/// xattr blocks. One read brings in the neighbouring inodes of a directory walk too.
/// </summary>
internal sealed class MetadataCache
{
    private const int MaxBytes = 16 << 20;
    private readonly IBlockSource _source;
    private readonly int _lineSize;
    private readonly int _capacity;
    private readonly Dictionary<long, LinkedListNode<(long Line, byte[] Data)>> _map = [];
    private readonly LinkedList<(long Line, byte[] Data)> _lru = new();
    private readonly Lock _lock = new();

    public MetadataCache(IBlockSource source, int blockSize)
    {
        _source = source;
        _lineSize = Math.Max(blockSize, 64 * 1024);
        _capacity = Math.Max(8, MaxBytes / _lineSize);
    }

    /// <summary>Copies <paramref name="dest"/>.Length bytes at <paramref name="offset"/> (inside the source).</summary>
    public void Read(long offset, Span<byte> dest)
    {
        lock (_lock)
        {
            while (!dest.IsEmpty)
            {
                var line = offset / _lineSize;
                var data = GetLine(line);
                var within = (int)(offset - (line * _lineSize));
                var n = Math.Min(dest.Length, data.Length - within);
                if (n <= 0)
                {
                    throw new InvalidDataException(
                        $"{_source.Description}: metadata read at 0x{offset:x} runs past the end of the source (0x{_source.Length:x})");
                }

                data.AsSpan(within, n).CopyTo(dest);
                dest = dest[n..];
                offset += n;
            }
        }
    }

    private byte[] GetLine(long line)
    {
        if (_map.TryGetValue(line, out var node))
        {
            _lru.Remove(node);
            _lru.AddFirst(node);
            return node.Value.Data;
        }

        var start = line * _lineSize;
        var length = (int)Math.Min(_lineSize, _source.Length - start);
        var data = new byte[Math.Max(length, 0)];
        if (length > 0)
        {
            _source.ReadAt(start, data);
        }

        if (_map.Count >= _capacity)
        {
            var last = _lru.Last!;
            _lru.RemoveLast();
            _map.Remove(last.Value.Line);
        }

        _map[line] = _lru.AddFirst((line, data));
        return data;
    }
}

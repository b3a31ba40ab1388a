using System.Buffers.Binary;

namespace VmTeleport.FileSystems.Ext;

/// <summary>
/// Maps logical blocks through an inode's extent tree (ext4 disk layout, "Extent Tree"). Each
/// lookup descends from i_block; the last leaf is kept so sequential reads do not descend again.
/// Every child must be exactly one level shallower than its parent, so a block that points back
/// into the tree (a loop) is caught at once.
/// </summary>
internal sealed class ExtentTree : IBlockMapper
{
    private readonly ExtVolume _vol;
    private readonly Inode _inode;
    private ExtentEntry[]? _leaf;
    private long _leafLow;
    private long _leafHigh;

    public ExtentTree(ExtVolume vol, Inode inode)
    {
        _vol = vol;
        _inode = inode;
    }

    public BlockRun Map(long logicalBlock, long limit)
    {
        if (logicalBlock >= 1L << 32)
        {
            // ee_block is 32 bits: nothing can be mapped this far.
            return new BlockRun(logicalBlock, Math.Max(1, limit), -1);
        }

        if (_leaf is null || logicalBlock < _leafLow || logicalBlock >= _leafHigh)
        {
            Descend(logicalBlock);
        }

        return MapInLeaf(_leaf!, logicalBlock, Math.Min(limit, _leafHigh - logicalBlock));
    }

    private void Descend(long logicalBlock)
    {
        byte[] node = _inode.IBlock.ToArray();
        var where = $"inode {_inode.Number} i_block";
        var header = ExtentHeader.Parse(node, $"{_vol.Name}: {where}");
        long low = 0;
        long high = 1L << 32;
        while (header.Depth > 0)
        {
            // Last index whose first block is <= logicalBlock.
            var chosen = -1;
            for (var i = 0; i < header.Entries; i++)
            {
                var lb = BinaryPrimitives.ReadUInt32LittleEndian(node.AsSpan(ExtentHeader.Size + (12 * i)));
                if (lb > logicalBlock)
                {
                    high = Math.Min(high, lb);
                    break;
                }

                chosen = i;
            }

            if (chosen < 0)
            {
                // Before the first index: a hole up to it.
                _leaf = [];
                (_leafLow, _leafHigh) = (low, high);
                return;
            }

            var index = ExtentIndex.Parse(node.AsSpan(ExtentHeader.Size + (12 * chosen)));
            low = Math.Max(low, index.LogicalBlock);
            var childWhere = $"inode {_inode.Number} extent block {index.ChildBlock} (depth {header.Depth - 1})";
            var child = _vol.ReadBlock(index.ChildBlock, $"inode {_inode.Number} extent index");
            var childHeader = ExtentHeader.Parse(child, $"{_vol.Name}: {childWhere}");
            if (childHeader.Depth != header.Depth - 1)
            {
                throw new InvalidDataException(
                    $"{_vol.Name}: {childWhere} has depth {childHeader.Depth}, expected {header.Depth - 1} (extent tree loop or corruption)");
            }

            VerifyTail(child, childHeader, index.ChildBlock);
            node = child;
            header = childHeader;
            where = childWhere;
        }

        _leaf = ParseLeaf(node, header, where);
        (_leafLow, _leafHigh) = (low, high);
    }

    private ExtentEntry[] ParseLeaf(byte[] node, ExtentHeader header, string where)
    {
        var entries = new ExtentEntry[header.Entries];
        long next = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            var e = ExtentEntry.Parse(node.AsSpan(ExtentHeader.Size + (12 * i)));
            if (e.Length == 0 || e.LogicalBlock < next || (long)e.LogicalBlock + e.Length > 1L << 32)
            {
                throw new InvalidDataException(
                    $"{_vol.Name}: {where} entry {i} (logical {e.LogicalBlock}, length {e.Length}) overlaps, is empty or is out of order");
            }

            _vol.CheckBlocks(e.PhysicalBlock, (ulong)e.Length, $"{where} entry {i}");
            next = (long)e.LogicalBlock + e.Length;
            entries[i] = e;
        }

        return entries;
    }

    private static BlockRun MapInLeaf(ExtentEntry[] leaf, long logicalBlock, long limit)
    {
        // Binary search for the last extent starting at or before logicalBlock.
        int lo = 0, hi = leaf.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (leaf[mid].LogicalBlock <= logicalBlock)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        if (found >= 0)
        {
            var e = leaf[found];
            var end = (long)e.LogicalBlock + e.Length;
            if (logicalBlock < end)
            {
                var count = Math.Min(end - logicalBlock, limit);
                return e.Uninitialized
                    ? new BlockRun(logicalBlock, count, -1)
                    : new BlockRun(logicalBlock, count, (long)e.PhysicalBlock + (logicalBlock - e.LogicalBlock));
            }
        }

        var nextStart = found + 1 < leaf.Length ? leaf[found + 1].LogicalBlock : long.MaxValue;
        return new BlockRun(logicalBlock, Math.Max(1, Math.Min(nextStart - logicalBlock, limit)), -1);
    }

    // ext4_extent_tail follows the eh_max entries: crc32c(inode seed, node up to the tail).
    private void VerifyTail(byte[] block, ExtentHeader header, ulong blockNumber)
    {
        if (!_vol.VerifyChecksums)
        {
            return;
        }

        var tail = ExtentHeader.Size + (12 * header.Max);
        if (tail + 4 > block.Length)
        {
            return;
        }

        var stored = BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(tail));
        var computed = Crc32C.Update(InodeSeed(_vol, _inode), block.AsSpan(0, tail));
        if (stored != computed)
        {
            _vol.ChecksumMismatch($"inode {_inode.Number} extent block {blockNumber} (tail at 0x{((long)blockNumber * _vol.BlockSize) + tail:x})", stored, computed);
        }
    }

    public static uint InodeSeed(ExtVolume vol, Inode inode) =>
        Crc32C.UpdateUInt32(Crc32C.UpdateUInt32(vol.CsumSeed, inode.Number), inode.Generation);
}

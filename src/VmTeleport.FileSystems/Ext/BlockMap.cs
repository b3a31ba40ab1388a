using System.Buffers.Binary;

namespace VmTeleport.FileSystems.Ext;

/// <summary>
/// The ext2/ext3 indirect block map (ext4 disk layout, "Direct/Indirect Block Addressing"):
/// i_block[0..11] direct, [12] indirect, [13] double-indirect, [14] triple-indirect. A zero
/// pointer at any level is a hole covering everything beneath it.
/// </summary>
internal sealed class BlockMap : IBlockMapper
{
    private const int Direct = 12;
    private readonly ExtVolume _vol;
    private readonly Inode _inode;
    private readonly long _perBlock;

    public BlockMap(ExtVolume vol, Inode inode)
    {
        _vol = vol;
        _inode = inode;
        _perBlock = vol.BlockSize / 4;
    }

    public BlockRun Map(long logicalBlock, long limit)
    {
        var iblock = _inode.IBlock;
        if (logicalBlock < Direct)
        {
            return Scan(iblock[..(Direct * 4)], (int)logicalBlock, logicalBlock, limit);
        }

        var rel = logicalBlock - Direct;
        var span = _perBlock;
        for (var level = 1; level <= 3; level++)
        {
            if (rel < span)
            {
                var root = BinaryPrimitives.ReadUInt32LittleEndian(iblock[((Direct + level - 1) * 4)..]);
                return Walk(root, level, rel, logicalBlock, limit);
            }

            rel -= span;
            span *= _perBlock;
        }

        // Past what a triple-indirect map can address: nothing is stored there.
        return new BlockRun(logicalBlock, Math.Max(1, limit), -1);
    }

    private BlockRun Walk(uint pointer, int levels, long rel, long logicalBlock, long limit)
    {
        // subtree = blocks covered by one pointer at the current level.
        var subtree = 1L;
        for (var i = 1; i < levels; i++)
        {
            subtree *= _perBlock;
        }

        for (var level = levels; level >= 1; level--)
        {
            if (pointer == 0)
            {
                var covered = (subtree * _perBlock) - (rel % (subtree * _perBlock));
                return new BlockRun(logicalBlock, Math.Min(covered, limit), -1);
            }

            var block = _vol.ReadBlock(pointer, $"inode {_inode.Number} indirect block (level {level})");
            var index = (int)(rel / subtree);
            if (level == 1)
            {
                return Scan(block, index, logicalBlock, limit);
            }

            pointer = BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(index * 4));
            rel %= subtree;
            subtree /= _perBlock;
        }

        throw new InvalidOperationException("unreachable: the loop returns at level 1");
    }

    /// <summary>The run starting at pointers[index]: consecutive zeros, or consecutive physical blocks.</summary>
    private BlockRun Scan(ReadOnlySpan<byte> pointers, int index, long logicalBlock, long limit)
    {
        var n = pointers.Length / 4;
        var first = BinaryPrimitives.ReadUInt32LittleEndian(pointers[(index * 4)..]);
        var count = 1;
        while (index + count < n && count < limit)
        {
            var p = BinaryPrimitives.ReadUInt32LittleEndian(pointers[((index + count) * 4)..]);
            if (first == 0 ? p != 0 : p != first + (uint)count)
            {
                break;
            }

            count++;
        }

        if (first == 0)
        {
            return new BlockRun(logicalBlock, count, -1);
        }

        _vol.CheckBlocks(first, (ulong)count, $"inode {_inode.Number} block map at logical block {logicalBlock}");
        return new BlockRun(logicalBlock, count, first);
    }
}

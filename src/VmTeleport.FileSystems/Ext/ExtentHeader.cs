using System.Buffers.Binary;

namespace VmTeleport.FileSystems.Ext;

/// <summary>
/// ext4_extent_header, the 12 bytes that open every extent tree node, in i_block or in a block
/// (ext4 disk layout, "Extent Tree").
/// </summary>
internal readonly record struct ExtentHeader(ushort Entries, ushort Max, ushort Depth)
{
    public const int Size = 12;
    public const ushort Magic = 0xF30A;

    /// <summary>The kernel refuses trees deeper than this (EXT4_MAX_EXTENT_DEPTH).</summary>
    public const int MaxDepth = 5;

    /// <summary>Parses and checks a node of <paramref name="capacity"/> bytes; <paramref name="where"/> names it.</summary>
    public static ExtentHeader Parse(ReadOnlySpan<byte> node, string where)
    {
        var magic = BinaryPrimitives.ReadUInt16LittleEndian(node);
        if (magic != Magic)
        {
            throw new InvalidDataException($"{where}: extent header magic 0x{magic:x4}, expected 0xf30a");
        }

        var h = new ExtentHeader(
            BinaryPrimitives.ReadUInt16LittleEndian(node[2..]),
            BinaryPrimitives.ReadUInt16LittleEndian(node[4..]),
            BinaryPrimitives.ReadUInt16LittleEndian(node[6..]));
        var room = (node.Length - Size) / 12;
        if (h.Max > room || h.Entries > h.Max)
        {
            throw new InvalidDataException(
                $"{where}: extent header has {h.Entries} entries, max {h.Max}, but the node holds {room}");
        }

        if (h.Depth > MaxDepth)
        {
            throw new InvalidDataException($"{where}: extent tree depth {h.Depth} exceeds {MaxDepth}");
        }

        return h;
    }
}

using System.Buffers.Binary;

namespace VmTeleport.FileSystems.Ext;

/// <summary>Extended attributes: in the inode after i_extra_isize, in one external block, or in ea_inodes.</summary>
public sealed partial class Ext4FileSystem
{
    // XATTR_SIZE_MAX: no value the kernel hands out is larger.
    private const int MaxValueSize = 65536;
    private const byte SystemIndex = 7;

    /// <summary>What listxattr/getxattr show, sorted by name; ACLs in their xattr form.</summary>
    private List<ExtendedAttribute> ListXattrs(Inode inode, string path)
    {
        var result = new List<ExtendedAttribute>();
        foreach (var (entry, value) in RawXattrs(inode))
        {
            var name = entry.FullName();
            if (name is null)
            {
                continue;
            }

            var bytes = entry.NameIndex is 2 or 3
                ? PosixAcl.ToXattr(value, $"{_vol.Name}: {path} (inode {inode.Number}) {name}")
                : value;
            result.Add(new ExtendedAttribute(name, bytes));
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return result;
    }

    /// <summary>The value of system.data, the tail of an inline file or directory (null when absent).</summary>
    private byte[]? InlineDataXattr(Inode inode)
    {
        foreach (var (entry, value) in RawXattrs(inode, inodeOnly: true))
        {
            if (entry.NameIndex == SystemIndex && entry.Name is [(byte)'d', (byte)'a', (byte)'t', (byte)'a'])
            {
                return value;
            }
        }

        return null;
    }

    private List<(XattrEntry Entry, byte[] Value)> RawXattrs(Inode inode, bool inodeOnly = false)
    {
        var list = new List<(XattrEntry, byte[])>();

        // In-inode: ext4_xattr_ibody_header (the magic) then entries; values are addressed
        // from the first entry.
        var area = inode.InlineXattrArea;
        if (area.Length >= 8 && BinaryPrimitives.ReadUInt32LittleEndian(area) == XattrHeader.ExpectedMagic)
        {
            ParseXattrEntries(area[4..], 0, area[4..], $"inode {inode.Number} in-inode xattrs", list);
        }

        if (!inodeOnly && inode.FileAcl != 0)
        {
            var where = $"inode {inode.Number} xattr block {inode.FileAcl}";
            var block = _vol.ReadBlock(inode.FileAcl, $"inode {inode.Number} i_file_acl");
            var header = XattrHeader.Parse(block);
            if (header.Magic != XattrHeader.ExpectedMagic || header.Blocks != 1)
            {
                throw new InvalidDataException(
                    $"{_vol.Name}: {where} (at 0x{(long)inode.FileAcl * _vol.BlockSize:x}) has magic 0x{header.Magic:x8} and h_blocks {header.Blocks}, expected 0xea020000 and 1");
            }

            if (_vol.VerifyChecksums)
            {
                var computed = XattrHeader.ComputeChecksum(_vol.CsumSeed, inode.FileAcl, block);
                if (computed != header.Checksum)
                {
                    _vol.ChecksumMismatch($"{where} (at 0x{(long)inode.FileAcl * _vol.BlockSize:x})", header.Checksum, computed);
                }
            }

            ParseXattrEntries(block, XattrHeader.Size, block, where, list);
        }

        return list;
    }

    private void ParseXattrEntries(ReadOnlySpan<byte> entries, int start, ReadOnlySpan<byte> values, string where, List<(XattrEntry, byte[])> list)
    {
        for (var offset = start; !XattrEntry.IsEnd(entries[offset..]);)
        {
            var e = XattrEntry.Parse(entries[offset..], $"{_vol.Name}: {where} at byte {offset}");
            offset += XattrEntry.EntryLength(e.Name.Length);
            if (e.ValueSize > MaxValueSize)
            {
                throw new InvalidDataException($"{_vol.Name}: {where} value of {e.ValueSize} bytes exceeds {MaxValueSize}");
            }

            byte[] value;
            if (e.ValueInode != 0)
            {
                value = ReadEaInode(e, where);
            }
            else
            {
                if (e.ValueOffset + (long)e.ValueSize > values.Length)
                {
                    throw new InvalidDataException(
                        $"{_vol.Name}: {where} value at {e.ValueOffset}+{e.ValueSize} runs past its {values.Length}-byte area");
                }

                value = values.Slice(e.ValueOffset, (int)e.ValueSize).ToArray();
            }

            list.Add((e, value));
            if (offset > entries.Length - 4)
            {
                break;
            }
        }
    }

    // ea_inode (ext4 disk layout, "Extended Attributes"): the value is the content of an inode
    // flagged EXT4_EA_INODE_FL whose size is the value's.
    private byte[] ReadEaInode(XattrEntry e, string where)
    {
        if ((_vol.Sb.FeatureIncompat & ExtFeatures.EaInode) == 0)
        {
            throw new InvalidDataException($"{_vol.Name}: {where} names value inode {e.ValueInode} without the ea_inode feature");
        }

        var ea = ReadInode(e.ValueInode);
        if (!ea.HasFlag(Inode.EaInodeFlag) || ea.Size != e.ValueSize || !ea.IsRegular)
        {
            throw new InvalidDataException(
                $"{_vol.Name}: {where} value inode {e.ValueInode} is not an ea_inode of {e.ValueSize} bytes (flags 0x{ea.Flags:x}, size {ea.Size})");
        }

        var value = new byte[e.ValueSize];
        using var s = OpenContent(ea);
        s.ReadExactly(value);
        return value;
    }
}

using System.Buffers.Binary;

namespace VmTeleport.FileSystems.Ext;

/// <summary>
/// ext4_xattr_entry: a name (index + suffix) and where its value lives — at e_value_offs in the
/// same area, or (ea_inode) the whole content of inode e_value_inum.
/// </summary>
internal readonly record struct XattrEntry(byte NameIndex, byte[] Name, ushort ValueOffset, uint ValueInode, uint ValueSize)
{
    public const int FixedSize = 16;

    /// <summary>The aligned size of the entry at the start of <paramref name="raw"/> (EXT4_XATTR_LEN).</summary>
    public static int EntryLength(int nameLength) => (FixedSize + nameLength + 3) & ~3;

    /// <summary>True at the four zero bytes that end an entry list.</summary>
    public static bool IsEnd(ReadOnlySpan<byte> raw) => raw.Length < 4 || BinaryPrimitives.ReadUInt32LittleEndian(raw) == 0;

    public static XattrEntry Parse(ReadOnlySpan<byte> raw, string where)
    {
        if (raw.Length < FixedSize)
        {
            throw new InvalidDataException($"{where}: xattr entry runs past the end of its area");
        }

        var nameLength = raw[0];
        if (nameLength == 0 && raw[1] is not (2 or 3) || EntryLength(nameLength) > raw.Length)
        {
            throw new InvalidDataException($"{where}: xattr entry with name length {nameLength} does not fit its area");
        }

        return new XattrEntry(
            raw[1],
            raw.Slice(FixedSize, nameLength).ToArray(),
            BinaryPrimitives.ReadUInt16LittleEndian(raw[2..]),
            BinaryPrimitives.ReadUInt32LittleEndian(raw[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(raw[8..]));
    }

    /// <summary>
    /// The name listxattr(2) shows, or null for indices the kernel keeps to itself
    /// (fs/ext4/xattr.c ext4_xattr_handler_map: system.data of inline data, richacl, encryption).
    /// </summary>
    public string? FullName()
    {
        var prefix = NameIndex switch
        {
            1 => "user.",
            2 => "system.posix_acl_access",
            3 => "system.posix_acl_default",
            4 => "trusted.",
            6 => "security.",
            10 => "gnu.",
            _ => null,
        };
        return prefix is null ? null : prefix + PosixName.Decode(Name);
    }
}

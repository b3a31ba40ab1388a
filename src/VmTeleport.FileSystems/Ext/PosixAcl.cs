using System.Buffers.Binary;

namespace VmTeleport.FileSystems.Ext;

/// <summary>
/// Converts ext4's on-disk POSIX ACL (ext4_acl_header version 1; short 4-byte entries for
/// USER_OBJ, GROUP_OBJ, MASK, OTHER and 8-byte entries with an id for USER and GROUP; fs/ext4/acl.h)
/// into the xattr form getxattr(2) returns (posix_acl_xattr_header version 2, 8-byte entries,
/// id 0xFFFFFFFF where there is none; include/uapi/linux/posix_acl_xattr.h).
/// </summary>
internal static class PosixAcl
{
    private const uint DiskVersion = 1;
    private const uint XattrVersion = 2;
    private const ushort UserObj = 0x01, User = 0x02, GroupObj = 0x04, Group = 0x08, Mask = 0x10, Other = 0x20;

    public static byte[] ToXattr(ReadOnlySpan<byte> disk, string where)
    {
        if (disk.Length < 4 || BinaryPrimitives.ReadUInt32LittleEndian(disk) != DiskVersion)
        {
            throw new InvalidDataException($"{where}: POSIX ACL has no version 1 ext4_acl_header");
        }

        var entries = new List<(ushort Tag, ushort Perm, uint Id)>();
        var pos = 4;
        while (pos < disk.Length)
        {
            if (disk.Length - pos < 4)
            {
                throw new InvalidDataException($"{where}: POSIX ACL entry at byte {pos} is truncated");
            }

            var tag = BinaryPrimitives.ReadUInt16LittleEndian(disk[pos..]);
            var perm = BinaryPrimitives.ReadUInt16LittleEndian(disk[(pos + 2)..]);
            switch (tag)
            {
                case UserObj or GroupObj or Mask or Other:
                    entries.Add((tag, perm, 0xFFFFFFFF));
                    pos += 4;
                    break;
                case User or Group:
                    if (disk.Length - pos < 8)
                    {
                        throw new InvalidDataException($"{where}: POSIX ACL entry at byte {pos} is truncated");
                    }

                    entries.Add((tag, perm, BinaryPrimitives.ReadUInt32LittleEndian(disk[(pos + 4)..])));
                    pos += 8;
                    break;
                default:
                    throw new InvalidDataException($"{where}: POSIX ACL entry at byte {pos} has unknown tag 0x{tag:x}");
            }
        }

        var xattr = new byte[4 + (8 * entries.Count)];
        BinaryPrimitives.WriteUInt32LittleEndian(xattr, XattrVersion);
        for (var i = 0; i < entries.Count; i++)
        {
            var o = 4 + (8 * i);
            BinaryPrimitives.WriteUInt16LittleEndian(xattr.AsSpan(o), entries[i].Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(xattr.AsSpan(o + 2), entries[i].Perm);
            BinaryPrimitives.WriteUInt32LittleEndian(xattr.AsSpan(o + 4), entries[i].Id);
        }

        return xattr;
    }
}

using System.Buffers.Binary;

namespace VmTeleport.FileSystems.Ext;

/// <summary>
/// ext4_dir_entry_2 (or ext4_dir_entry without the filetype feature): inode, rec_len, name
/// (ext4 disk layout, "Linear (Classic) Directories"). rec_len is validated as the kernel's
/// ext4_check_dir_entry does, so a walk over a block always advances and stays inside it.
/// </summary>
internal readonly record struct DirectoryEntry(uint Inode, int RecordLength, byte[] Name, byte FileType)
{
    public const int MinRecordLength = 12; // EXT4_DIR_REC_LEN(1)

    /// <summary>The fake entry that holds a metadata_csum block's checksum (ext4_dir_entry_tail).</summary>
    public const int TailSize = 12;
    public const byte TailFileType = 0xDE;

    /// <summary>Parses the entry at <paramref name="offset"/> of an area of <paramref name="area"/>.Length bytes.</summary>
    public static DirectoryEntry Parse(ReadOnlySpan<byte> area, int offset, bool fileTypes, int blockSize, Func<string> where)
    {
        if (area.Length - offset < 8)
        {
            throw new InvalidDataException($"{where()}: directory entry at offset {offset} is truncated");
        }

        var e = area[offset..];
        var inode = BinaryPrimitives.ReadUInt32LittleEndian(e);
        var recLen = DecodeRecordLength(BinaryPrimitives.ReadUInt16LittleEndian(e[4..]), blockSize);
        int nameLen = fileTypes ? e[6] : BinaryPrimitives.ReadUInt16LittleEndian(e[6..]);
        if (recLen < MinRecordLength)
        {
            throw new InvalidDataException($"{where()}: directory entry at offset {offset} has rec_len {recLen} (below {MinRecordLength})");
        }

        if ((recLen & 3) != 0 || recLen > area.Length - offset)
        {
            throw new InvalidDataException(
                $"{where()}: directory entry at offset {offset} has rec_len {recLen}, past the end of its {area.Length}-byte block or unaligned");
        }

        if (nameLen + 8 > recLen)
        {
            throw new InvalidDataException($"{where()}: directory entry at offset {offset} has name_len {nameLen} longer than its rec_len {recLen}");
        }

        return new DirectoryEntry(inode, recLen, e.Slice(8, nameLen).ToArray(), fileTypes ? e[7] : (byte)0);
    }

    /// <summary>
    /// ext4_rec_len_from_disk: with 64 KiB blocks a rec_len of 65536 does not fit 16 bits, so 0 and
    /// 65535 mean the whole block and the low two bits carry bits 16–17.
    /// </summary>
    public static int DecodeRecordLength(ushort raw, int blockSize)
    {
        if (blockSize < 65536)
        {
            return raw;
        }

        return raw is 0xFFFF or 0 ? blockSize : (raw & 0xFFFC) | ((raw & 3) << 16);
    }

    /// <summary>Whether the last 12 bytes of a block are an ext4_dir_entry_tail.</summary>
    public static bool HasTail(ReadOnlySpan<byte> block)
    {
        var t = block[^TailSize..];
        return BinaryPrimitives.ReadUInt32LittleEndian(t) == 0 && BinaryPrimitives.ReadUInt16LittleEndian(t[4..]) == TailSize
            && t[6] == 0 && t[7] == TailFileType;
    }

    /// <summary>ext4_dirblock_csum: crc32c(inode seed, block up to the tail).</summary>
    public static (uint Stored, uint Computed) TailChecksums(ReadOnlySpan<byte> block, uint inodeSeed) =>
        (BinaryPrimitives.ReadUInt32LittleEndian(block[^4..]), Crc32C.Update(inodeSeed, block[..^TailSize]));
}

using System.Buffers.Binary;

namespace VmTeleport.Guests.Boot;

/// <summary>
/// The start of GRUB 2's i386-pc core.img: diskboot.img in its first sector
/// (grub-core/boot/i386/pc/diskboot.S: messages "loading", "Geom", "Read", " Error", and at the
/// sector's end a blocklist of 12-byte entries — u64 start sector, u16 sector count, u16 load
/// segment — read backwards from 0x1f4 until a zero count), then lzma_decompress.img
/// (grub-core/boot/i386/pc/startup_raw.S: a far jump 0xEA to segment 0, and at 0x08/0x0c/0x10 the
/// compressed size, uncompressed size and Reed-Solomon redundancy, all u32).
/// </summary>
internal sealed record GrubCoreImage(ulong NextSector, long Sectors, uint CompressedSize, uint UncompressedSize, uint ReedSolomonBytes)
{
    /// <summary>Bytes <see cref="Read"/> needs: diskboot's sector and the decompressor's first sector.</summary>
    public const int HeaderLength = 1024;

    private const int FirstBlocklistEntry = 0x1f4;
    private const int BlocklistEntryLength = 12;

    /// <summary>Entries that fit between diskboot's code (ending before 0x150) and the first entry.</summary>
    private const int MaxBlocklistEntries = 13;

    private static readonly byte[][] Messages = ["loading"u8.ToArray(), "Geom"u8.ToArray(), "Read"u8.ToArray(), " Error"u8.ToArray()];

    /// <summary>The core.img starting <paramref name="header"/> (1024 bytes), or null when it is not one.</summary>
    public static GrubCoreImage? Read(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderLength)
        {
            return null;
        }

        var diskboot = header[..512];
        foreach (var message in Messages)
        {
            if (diskboot.IndexOf(message) < 0)
            {
                return null;
            }
        }

        long sectors = 1; // diskboot's own sector
        ulong next = BinaryPrimitives.ReadUInt64LittleEndian(diskboot[FirstBlocklistEntry..]);
        for (int i = 0; i < MaxBlocklistEntries; i++)
        {
            int at = FirstBlocklistEntry - (i * BlocklistEntryLength);
            ushort count = BinaryPrimitives.ReadUInt16LittleEndian(diskboot[(at + 8)..]);
            if (count == 0)
            {
                break;
            }

            sectors += count;
        }

        if (sectors == 1)
        {
            return null; // a blocklist that loads nothing is not an installed core.img
        }

        var decompressor = header[512..];
        if (decompressor[0] != 0xEA || decompressor[3] != 0 || decompressor[4] != 0)
        {
            return null;
        }

        uint compressed = BinaryPrimitives.ReadUInt32LittleEndian(decompressor[0x08..]);
        uint uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(decompressor[0x0c..]);
        uint reedSolomon = BinaryPrimitives.ReadUInt32LittleEndian(decompressor[0x10..]);
        if (compressed == 0 || uncompressed == 0)
        {
            return null;
        }

        return new GrubCoreImage(next, sectors, compressed, uncompressed, reedSolomon);
    }

    public string Describe() =>
        $"GRUB core.img (diskboot + lzma_decompress): {Sectors} sectors by diskboot's blocklist, "
        + $"LZMA payload {CompressedSize} bytes ({UncompressedSize} unpacked), Reed-Solomon redundancy {ReedSolomonBytes} bytes";
}

using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using VmTeleport.Disks;

namespace VmTeleport.Guests.Volumes;

/// <summary>
/// Recognises the volumes VM Teleport does not read but must name: Linux swap (its header at the
/// end of the first page, util-linux's mkswap layout) and FAT (the boot sector's BPB), with the
/// UUID and label fstab may refer to them by.
/// </summary>
public static class ForeignVolume
{
    public static (string Type, string? Uuid, string? Label)? Probe(IBlockSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Length < 4096)
        {
            return null;
        }

        var page = new byte[4096];
        source.ReadAt(0, page);
        // swap: "SWAPSPACE2" in the last 10 bytes of the first page (4 KiB pages on x86 and most
        // arm64 guests); the header after the 1 KiB boot block holds the UUID at +12, label at +28.
        var magic = Encoding.ASCII.GetString(page, 4096 - 10, 10);
        if (magic is "SWAPSPACE2" or "SWAP-SPACE")
        {
            var uuid = new Guid(page.AsSpan(1024 + 12, 16), bigEndian: true);
            return ("swap", uuid == Guid.Empty ? null : uuid.ToString(), Text(page.AsSpan(1024 + 28, 16)));
        }

        if (page[510] == 0x55 && page[511] == 0xAA)
        {
            // FAT12/16 keep the extended BPB at 0x24, FAT32 at 0x40; both end with the type string.
            if (Encoding.ASCII.GetString(page, 0x52, 5) == "FAT32")
            {
                return ("vfat", Serial(page.AsSpan(0x43, 4)), Label(page.AsSpan(0x47, 11)));
            }

            if (Encoding.ASCII.GetString(page, 0x36, 3) == "FAT")
            {
                return ("vfat", Serial(page.AsSpan(0x27, 4)), Label(page.AsSpan(0x2B, 11)));
            }
        }

        return null;
    }

    private static string Serial(ReadOnlySpan<byte> b)
    {
        uint v = BinaryPrimitives.ReadUInt32LittleEndian(b);
        return string.Create(CultureInfo.InvariantCulture, $"{v >> 16:X4}-{v & 0xFFFF:X4}");
    }

    private static string? Label(ReadOnlySpan<byte> b)
    {
        var s = Text(b);
        return s is null or "NO NAME" ? null : s;
    }

    private static string? Text(ReadOnlySpan<byte> b)
    {
        int end = b.IndexOf((byte)0);
        var s = Encoding.ASCII.GetString(end < 0 ? b : b[..end]).Trim();
        return s.Length == 0 || s.Any(c => c < ' ' || c > '~') ? null : s;
    }
}

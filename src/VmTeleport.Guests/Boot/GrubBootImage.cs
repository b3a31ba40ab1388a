using System.Buffers.Binary;

namespace VmTeleport.Guests.Boot;

/// <summary>
/// GRUB 2's boot.img as grub-bios-setup writes it into sector 0 (grub-core/boot/i386/pc/boot.S):
/// 440 bytes of code whose messages are "GRUB ", "Geom", "Hard Disk", "Read" and " Error", and
/// whose kernel_sector (u64 at GRUB_BOOT_MACHINE_KERNEL_SECTOR = 0x5c) is the disk sector of
/// core.img's first sector.
/// </summary>
internal sealed record GrubBootImage(ulong KernelSector)
{
    public const int KernelSectorOffset = 0x5c;

    private static readonly byte[][] Messages = ["GRUB "u8.ToArray(), "Geom"u8.ToArray(), "Hard Disk"u8.ToArray(), "Read"u8.ToArray(), " Error"u8.ToArray()];

    /// <summary>The boot.img in <paramref name="code"/> (at least the 440 bytes of boot code), or null.</summary>
    public static GrubBootImage? Read(ReadOnlySpan<byte> code)
    {
        if (code.Length < MasterBootCode.Length)
        {
            return null;
        }

        var span = code[..MasterBootCode.Length];
        foreach (var message in Messages)
        {
            if (span.IndexOf(message) < 0)
            {
                return null;
            }
        }

        return new GrubBootImage(BinaryPrimitives.ReadUInt64LittleEndian(span[KernelSectorOffset..]));
    }
}

namespace VmTeleport.Guests.Boot;

/// <summary>
/// SYSLINUX's boot code, recognised by its messages: the MBRs of syslinux-common (mbr.bin and
/// altmbr.bin: "Missing operating system." and "Operating system load error."; gptmbr.bin:
/// "Missing OS" and "Disk error"), and the boot sector extlinux/syslinux install into a partition
/// (OEM name "SYSLINUX" at offset 3, message "Boot error").
/// </summary>
internal static class SyslinuxBootCode
{
    /// <summary>"mbr.bin", "gptmbr.bin" or null for the 440 bytes of sector 0's boot code.</summary>
    public static string? MasterBootRecord(ReadOnlySpan<byte> code)
    {
        if (code.IndexOf("Missing operating system."u8) >= 0 && code.IndexOf("Operating system load error."u8) >= 0)
        {
            return "mbr.bin";
        }

        if (code.IndexOf("Missing OS"u8) >= 0 && code.IndexOf("Disk error"u8) >= 0 && code.IndexOf("Multiple active partitions"u8) >= 0)
        {
            return "gptmbr.bin";
        }

        return null;
    }

    /// <summary>True for a partition boot sector written by extlinux --install or syslinux --install.</summary>
    public static bool IsVolumeBootRecord(ReadOnlySpan<byte> sector) =>
        sector.Length >= MasterBootCode.SectorSize
        && sector[3..11].SequenceEqual("SYSLINUX"u8)
        && sector[..MasterBootCode.SectorSize].IndexOf("Boot error"u8) >= 0;
}

namespace VmTeleport.Guests.Boot;

/// <summary>Sector 0's layout as BIOSes run it: boot code, then disk signature and partition table.</summary>
internal static class MasterBootCode
{
    public const int SectorSize = 512;

    /// <summary>Bytes of boot code before the disk signature at 440 (the classic MBR layout).</summary>
    public const int Length = 440;

    /// <summary>A BIOS boots a sector only when it ends with 0x55 0xAA.</summary>
    public static bool HasBootSignature(ReadOnlySpan<byte> sector) =>
        sector.Length >= SectorSize && sector[510] == 0x55 && sector[511] == 0xAA;
}

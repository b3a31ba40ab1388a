using VmTeleport.Disks;
using VmTeleport.FileSystems;

namespace VmTeleport.Guests.Boot;

/// <summary>
/// Finds the bootloader of a disk and the exact byte ranges its pieces occupy: sector 0's boot
/// code, the gap before the first partition, a GPT BIOS boot partition, an EFI system partition,
/// partition boot sectors; then the guest's files (GRUB's or SYSLINUX's directory) for the
/// configuration and the version. Nothing here throws for what it finds on the disk: what cannot
/// be read or makes no sense is recorded in the problems.
/// </summary>
public static class BootloaderProbe
{
    /// <summary>GPT type of the BIOS boot partition GRUB embeds core.img in ("Hah!IdontNeedEFI").</summary>
    public static readonly Guid BiosBootType = Guid.Parse("21686148-6449-6E6F-744E-656564454649");

    /// <summary>GPT type of the EFI system partition (UEFI 2.10 §5.3.3).</summary>
    public static readonly Guid EspType = Guid.Parse("C12A7328-F81F-11D2-BA4B-00A0C93EC93B");

    /// <summary>MBR partition type of the EFI system partition.</summary>
    public const byte EspMbrType = 0xEF;

    /// <summary>The most bytes scanned in one gap or BIOS boot partition (GRUB's embedding area is under 1 MiB).</summary>
    public const long MaxScanBytes = 64L << 20;

    /// <summary>Sectors before the first usable GPT sector: protective MBR, header, 128 entries of 128 bytes.</summary>
    private const long GptReservedSectors = 34;

    public static Bootloader Detect(
        IBlockSource disk,
        PartitionTable table,
        IReadOnlyList<(Partition Partition, IFileSystem? FileSystem)> volumes,
        IFileSystem? guest,
        ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(disk);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(volumes);
        ArgumentNullException.ThrowIfNull(problems);

        var regions = new BootRegions(disk, table, problems);
        regions.Scan();
        var files = GuestBootFiles.Read(volumes, guest, problems);
        var pieces = regions.Pieces;

        if (files.GrubPartition is { } grubPartition)
        {
            pieces.Add(FilesystemPiece(grubPartition, $"GRUB's files in {files.GrubDirectory} (platforms: {Join(files.GrubPlatforms)}); rebuilt as files, not copied as blocks"));
        }

        if (files.SyslinuxPartition is { } sysPartition)
        {
            pieces.Add(FilesystemPiece(sysPartition, $"SYSLINUX's files in {files.SyslinuxDirectory}; ldlinux.sys is loaded by block address from the boot sector, so a rebuilt filesystem needs extlinux --install again"));
        }

        bool biosGrub = regions.BootImage is not null;
        bool efiGrub = regions.HasEsp && files.HasEfiGrub;
        // Files alone boot nothing (a guest started by direct kernel boot keeps /boot/grub too):
        // the kind comes from boot code on the disk, the files add version and configuration.
        bool syslinux = regions.SyslinuxCode && !regions.UnknownMbrCode;
        bool anyBootCode = pieces.Any(p => p.Location != "filesystem");
        string kind = (biosGrub, efiGrub) switch
        {
            (true, true) => "grub-bios+efi",
            (true, false) => "grub-bios",
            (false, true) => "grub-efi",
            _ when syslinux => "syslinux",
            _ when !anyBootCode => "none",
            _ => "unknown",
        };

        if (regions.HasEsp && !efiGrub)
        {
            problems.Add("the EFI system partition's bootloader is not identified (FAT is not read yet and the guest has no GRUB EFI platform directory)");
        }

        if (!regions.HasMbrCode && regions.CoreImageSeen)
        {
            problems.Add($"{disk.Description}: a GRUB core.img is on the disk but sector 0 holds no boot code, so a BIOS would not start it");
        }

        string? firmware = (regions.HasMbrCode, regions.HasEsp) switch
        {
            (true, true) => "both",
            (true, false) => "bios",
            (false, true) => "efi",
            _ => null,
        };

        bool grub = biosGrub || efiGrub;
        return new Bootloader
        {
            Kind = kind,
            Firmware = firmware,
            Version = grub ? files.GrubVersion : kind == "syslinux" ? files.SyslinuxVersion : null,
            ConfigPath = grub ? files.GrubConfig : kind == "syslinux" ? files.SyslinuxConfig : null,
            Pieces = [.. pieces.OrderBy(p => p.Offset).ThenBy(p => p.Location, StringComparer.Ordinal)],
        };
    }

    private static BootPiece FilesystemPiece(Partition partition, string detail) => new()
    {
        Location = "filesystem",
        Offset = partition.Offset,
        Length = partition.Length,
        Partition = partition.Number,
        Detail = detail,
    };

    private static string Join(IReadOnlyList<string> values) => values.Count == 0 ? "none" : string.Join(", ", values);
}

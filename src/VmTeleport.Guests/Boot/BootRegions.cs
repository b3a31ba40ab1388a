using VmTeleport.Disks;

namespace VmTeleport.Guests.Boot;

/// <summary>
/// The raw regions of one disk that hold boot code, found from the partition table and the bytes
/// themselves. Offsets and lengths are exact: a region's piece spans its first to its last
/// non-zero byte (allocated data only is read), except the ESP, which is its whole partition.
/// </summary>
internal sealed class BootRegions(IBlockSource disk, PartitionTable table, ICollection<string> problems)
{
    private const int Sector = MasterBootCode.SectorSize;

    /// <summary>MBR types of extended containers, whose first sector is an EBR, not a boot sector.</summary>
    private static readonly byte[] ExtendedTypes = [0x05, 0x0f, 0x85];

    private readonly List<long> _coreSectors = [];

    public List<BootPiece> Pieces { get; } = [];

    /// <summary>GRUB's boot.img in sector 0, or null.</summary>
    public GrubBootImage? BootImage { get; private set; }

    /// <summary>Sector 0 carries the 0x55AA signature and non-zero boot code.</summary>
    public bool HasMbrCode { get; private set; }

    public bool UnknownMbrCode { get; private set; }

    public bool SyslinuxCode { get; private set; }

    public bool HasEsp { get; private set; }

    public bool CoreImageSeen => _coreSectors.Count > 0;

    public void Scan()
    {
        Guard("sector 0", ScanSectorZero);
        Guard("the gap before the first partition", ScanGap);
        foreach (var p in table.Partitions)
        {
            if (p.Length <= 0 || p.Offset < 0 || p.Offset >= disk.Length)
            {
                continue;
            }

            if (p.TypeGuid == BootloaderProbe.BiosBootType)
            {
                Guard($"BIOS boot partition {p.Number}", () => ScanBiosBootPartition(p));
            }
            else if (p.TypeGuid == BootloaderProbe.EspType || p.MbrType == BootloaderProbe.EspMbrType)
            {
                Guard($"EFI system partition {p.Number}", () => AddEsp(p));
            }
            else if (p.MbrType is not { } type || !ExtendedTypes.Contains(type))
            {
                Guard($"partition {p.Number}'s boot sector", () => ScanVolumeBootRecord(p));
            }
        }

        Guard("GRUB's core.img", CheckKernelSector);
    }

    private void ScanSectorZero()
    {
        if (disk.Length < Sector)
        {
            return;
        }

        var sector = new byte[Sector];
        disk.ReadAt(0, sector);
        var code = sector.AsSpan(0, MasterBootCode.Length);
        if (!MasterBootCode.HasBootSignature(sector) || code.IndexOfAnyExcept((byte)0) < 0)
        {
            return; // a BIOS starts nothing without the signature; zeros are no boot code
        }

        HasMbrCode = true;
        string detail;
        if (GrubBootImage.Read(code) is { } boot)
        {
            BootImage = boot;
            detail = $"GRUB boot.img; core.img at sector {boot.KernelSector} (kernel_sector at 0x5c)";
        }
        else if (SyslinuxBootCode.MasterBootRecord(code) is { } name)
        {
            SyslinuxCode = true;
            detail = $"SYSLINUX {name}: starts the boot sector of the active partition";
        }
        else
        {
            UnknownMbrCode = true;
            detail = "boot code not recognised; copied as it is";
            problems.Add($"{disk.Description}: sector 0 holds boot code VM Teleport does not recognise");
        }

        Pieces.Add(new BootPiece { Location = "mbr", Offset = 0, Length = MasterBootCode.Length, Detail = detail });
    }

    /// <summary>MBR: sectors 1 .. first partition. GPT: after the partition entries (LBA 34) .. first partition.</summary>
    private void ScanGap()
    {
        var partitions = table.Partitions.Where(p => p.Length > 0).ToList();
        if (table.Scheme == PartitionScheme.None || partitions.Count == 0)
        {
            return;
        }

        long start = table.Scheme == PartitionScheme.Gpt ? 34 * Sector : Sector;
        long end = Math.Min(partitions.Min(p => p.Offset), disk.Length);
        if (end <= start)
        {
            return;
        }

        long length = end - start;
        if (length > BootloaderProbe.MaxScanBytes)
        {
            problems.Add($"{disk.Description}: the gap before the first partition is {length} bytes; only its first {BootloaderProbe.MaxScanBytes} are looked at");
            length = BootloaderProbe.MaxScanBytes;
        }

        if (DataSpan.Find(disk, start, length) is { } span)
        {
            Pieces.Add(new BootPiece
            {
                Location = "post-mbr-gap",
                Offset = span.Start,
                Length = span.End - span.Start,
                Detail = DescribeData(span),
            });
        }
    }

    private void ScanBiosBootPartition(Partition p)
    {
        long length = Math.Min(p.Length, disk.Length - p.Offset);
        if (length > BootloaderProbe.MaxScanBytes)
        {
            problems.Add($"{disk.Description}: BIOS boot partition {p.Number} is {length} bytes; only its first {BootloaderProbe.MaxScanBytes} are looked at");
            length = BootloaderProbe.MaxScanBytes;
        }

        if (DataSpan.Find(disk, p.Offset, length) is { } span)
        {
            Pieces.Add(new BootPiece
            {
                Location = "bios-boot-partition",
                Offset = span.Start,
                Length = span.End - span.Start,
                Partition = p.Number,
                Detail = DescribeData(span),
            });
        }
    }

    private void AddEsp(Partition p)
    {
        HasEsp = true;
        long length = Math.Min(p.Length, disk.Length - p.Offset);
        var sector = new byte[Sector];
        disk.ReadAt(p.Offset, sector);
        Pieces.Add(new BootPiece
        {
            Location = "esp",
            Offset = p.Offset,
            Length = length,
            Partition = p.Number,
            Detail = $"EFI system partition, {FatKind(sector)}; FAT is not read yet, so the whole partition is copied as a raw region",
        });
    }

    private void ScanVolumeBootRecord(Partition p)
    {
        if (p.Offset + Sector > disk.Length)
        {
            return;
        }

        var sector = new byte[Sector];
        disk.ReadAt(p.Offset, sector);
        if (!MasterBootCode.HasBootSignature(sector))
        {
            return;
        }

        string? detail = null;
        if (SyslinuxBootCode.IsVolumeBootRecord(sector))
        {
            SyslinuxCode = true;
            detail = "SYSLINUX/EXTLINUX boot sector (it holds ldlinux.sys's block address)";
        }
        else if (GrubBootImage.Read(sector) is { } boot)
        {
            detail = $"GRUB boot.img in the partition's boot sector; core.img at sector {boot.KernelSector}";
        }

        if (detail is not null)
        {
            Pieces.Add(new BootPiece { Location = "volume-boot-record", Offset = p.Offset, Length = Sector, Partition = p.Number, Detail = detail });
        }
    }

    /// <summary>Checks that boot.img's kernel_sector names a core.img whose blocklist continues right after it.</summary>
    private void CheckKernelSector()
    {
        if (BootImage is not { } boot)
        {
            return;
        }

        ulong sector = boot.KernelSector;
        if (sector > (ulong)((disk.Length - GrubCoreImage.HeaderLength) / Sector))
        {
            problems.Add($"{disk.Description}: boot.img's kernel_sector {sector} lies beyond the end of the disk (0x{disk.Length:x} bytes)");
            return;
        }

        var header = new byte[GrubCoreImage.HeaderLength];
        disk.ReadAt((long)sector * Sector, header);
        if (GrubCoreImage.Read(header) is not { } core)
        {
            problems.Add($"{disk.Description}: boot.img's kernel_sector {sector} (offset 0x{(long)sector * Sector:x}) holds no GRUB core.img");
            return;
        }

        if (core.NextSector != sector + 1)
        {
            problems.Add($"{disk.Description}: core.img at sector {sector} loads the rest from sector {core.NextSector}, not {sector + 1}");
        }

        if (!_coreSectors.Contains((long)sector))
        {
            problems.Add($"{disk.Description}: core.img at sector {sector} lies outside the post-MBR gap and any BIOS boot partition");
        }
    }

    /// <summary>What a non-zero span starts with: a GRUB core.img (checked at its first sector) or unknown data.</summary>
    private string DescribeData((long Start, long End) span)
    {
        long first = span.Start / Sector * Sector;
        if (first + GrubCoreImage.HeaderLength <= disk.Length)
        {
            var header = new byte[GrubCoreImage.HeaderLength];
            disk.ReadAt(first, header);
            if (GrubCoreImage.Read(header) is { } core)
            {
                _coreSectors.Add(first / Sector);
                long coreEnd = first + (core.Sectors * Sector);
                string beyond = span.End > coreEnd ? $"; non-zero data goes on {span.End - coreEnd} bytes past its sectors" : string.Empty;
                return $"{core.Describe()}, at sector {first / Sector}{beyond}";
            }
        }

        return $"{span.End - span.Start} bytes of data not recognised as boot code; copied as they are";
    }

    /// <summary>The FAT variant named in the boot sector (FAT spec: BS_FilSysType at 0x36, or 0x52 for FAT32).</summary>
    private static string FatKind(ReadOnlySpan<byte> sector)
    {
        if (!MasterBootCode.HasBootSignature(sector))
        {
            return "no FAT boot sector";
        }

        if (sector[0x52..0x57].SequenceEqual("FAT32"u8))
        {
            return "FAT32";
        }

        if (sector[0x36..0x39].SequenceEqual("FAT"u8))
        {
            return System.Text.Encoding.ASCII.GetString(sector[0x36..0x3e]).Trim();
        }

        return "boot sector without a FAT type";
    }

    private void Guard(string what, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentOutOfRangeException)
        {
            problems.Add($"{disk.Description}: {what} could not be read: {e.Message}");
        }
    }
}

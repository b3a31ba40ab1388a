namespace VmTeleport.Guests.Boot;

/// <summary>Which bootloader a disk starts with and where its pieces lie.</summary>
public sealed record Bootloader
{
    /// <summary>"grub-bios", "grub-efi", "grub-bios+efi", "syslinux", "none" or "unknown".</summary>
    public required string Kind { get; init; }

    /// <summary>"bios", "efi", "both", or null when nothing boots.</summary>
    public string? Firmware { get; init; }

    /// <summary>The bootloader's version when the guest's files say it (e.g. "2.06-13+deb12u2"), else null.</summary>
    public string? Version { get; init; }

    /// <summary>The configuration file in the guest view, e.g. "/boot/grub/grub.cfg", else null.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>The regions of the disk that hold boot code, in disk order.</summary>
    public required IReadOnlyList<BootPiece> Pieces { get; init; }
}

namespace VmTeleport.Guests.Os;

/// <summary>A kernel found in the guest's /boot, with the pieces that make it bootable.</summary>
public sealed record InstalledKernel
{
    /// <summary>The release string, e.g. "6.1.0-56-amd64".</summary>
    public required string Version { get; init; }

    public required string Path { get; init; }

    public required long Size { get; init; }

    /// <summary>The initramfs beside it, or null when there is none.</summary>
    public string? Initrd { get; init; }

    /// <summary>Whether /lib/modules/VERSION exists.</summary>
    public bool Modules { get; init; }
}

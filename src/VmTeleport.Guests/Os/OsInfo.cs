namespace VmTeleport.Guests.Os;

/// <summary>Who the guest is: the <c>os</c> object of the description (docs/description-format.md).</summary>
public sealed record OsInfo
{
    /// <summary>"linux" when a Linux root filesystem was found, otherwise "unknown".</summary>
    public required string Type { get; init; }

    /// <summary>os-release's ID ("debian", "ubuntu", "rocky", "fedora", "rhel", "centos", …), or null.</summary>
    public string? Distro { get; init; }

    /// <summary>os-release's ID_LIKE, split.</summary>
    public IReadOnlyList<string> DistroLike { get; init; } = [];

    /// <summary>os-release's PRETTY_NAME.</summary>
    public string? ProductName { get; init; }

    /// <summary>The full version string as the distribution writes it ("12.15", "22.04.3", "9.3").</summary>
    public string? Version { get; init; }

    public int? MajorVersion { get; init; }

    public int? MinorVersion { get; init; }

    public string? Codename { get; init; }

    /// <summary>The machine the guest's binaries are built for, from the ELF header of /bin/sh ("x86_64", "aarch64", …).</summary>
    public string? Architecture { get; init; }

    public string? Hostname { get; init; }

    /// <summary>"deb", "rpm", "apk", "pacman" or null.</summary>
    public string? PackageFormat { get; init; }

    /// <summary>"apt", "dnf", "yum", "zypper", "apk", "pacman" or null.</summary>
    public string? PackageManager { get; init; }

    /// <summary>"systemd", "sysvinit", "openrc", "upstart" or null.</summary>
    public string? InitSystem { get; init; }

    public IReadOnlyList<InstalledKernel> Kernels { get; init; } = [];
}

namespace VmTeleport.Guests.Hardware;

/// <summary>
/// Where <see cref="DomainSource.LoadByName"/> looks for a domain. Every property has a
/// default that fits a libvirt host; tests point the directories at temporary ones.
/// </summary>
public sealed record DomainLookup
{
    /// <summary>The default libvirt URI when neither the caller nor LIBVIRT_DEFAULT_URI gives one.</summary>
    public const string SystemUri = "qemu:///system";

    /// <summary>Where libvirtd keeps qemu:///system definitions.</summary>
    public const string SystemConfigDirectory = "/etc/libvirt/qemu";

    /// <summary>Where libvirtd keeps qemu:///system snapshot metadata, one directory per domain.</summary>
    public const string SystemSnapshotDirectory = "/var/lib/libvirt/qemu/snapshot";

    /// <summary>virsh's -c URI (--connect); null: LIBVIRT_DEFAULT_URI, else qemu:///system.</summary>
    public string? ConnectUri { get; init; }

    /// <summary>The virsh executable; null: "virsh" on PATH.</summary>
    public string? VirshPath { get; init; }

    /// <summary>
    /// The libvirt configuration directory read when virsh is absent or cannot connect. Null:
    /// /etc/libvirt/qemu, used only when the URI is qemu:///system (a remote or session URI's
    /// domains are not there). Set, it is used whatever the URI.
    /// </summary>
    public string? ConfigDirectory { get; init; }

    /// <summary>The snapshot metadata directory read along with <see cref="ConfigDirectory"/>; null: /var/lib/libvirt/qemu/snapshot.</summary>
    public string? SnapshotDirectory { get; init; }

    /// <summary>The time all virsh calls of one lookup may take together; then virsh is killed.</summary>
    public TimeSpan VirshTimeout { get; init; } = TimeSpan.FromSeconds(20);

    internal string EffectiveUri =>
        ConnectUri ?? NonEmpty(Environment.GetEnvironmentVariable("LIBVIRT_DEFAULT_URI")) ?? SystemUri;

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}

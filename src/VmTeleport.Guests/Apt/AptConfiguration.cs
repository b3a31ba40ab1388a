namespace VmTeleport.Guests.Apt;

/// <summary>What APT in the guest would fetch from and which keys it would trust (sources.list(5)).</summary>
public sealed record AptConfiguration
{
    /// <summary>Every entry of every source file apt reads, in apt's reading order.</summary>
    public required IReadOnlyList<AptSource> Sources { get; init; }

    /// <summary>The keyrings apt trusts globally, those in /etc/apt/keyrings and those named by signed-by, sorted by path.</summary>
    public required IReadOnlyList<AptKeyring> Keyrings { get; init; }
}

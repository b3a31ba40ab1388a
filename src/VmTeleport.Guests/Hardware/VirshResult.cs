namespace VmTeleport.Guests.Hardware;

/// <summary>The outcome of one virsh call; <see cref="TimedOut"/> means it was killed.</summary>
internal sealed record VirshResult(int ExitCode, string StdOut, string StdErr, bool TimedOut)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>virsh's error lines joined, for messages ("error: failed to get domain 'x'").</summary>
    public string ErrorText =>
        TimedOut
            ? "timed out"
            : string.Join("; ", StdErr.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Where(l => l.StartsWith("error:", StringComparison.Ordinal)));

    /// <summary>virsh could not reach the hypervisor (no daemon, no socket, refused).</summary>
    public bool CouldNotConnect =>
        TimedOut || StdErr.Contains("failed to connect to the hypervisor", StringComparison.OrdinalIgnoreCase);

    /// <summary>The connection worked and libvirt does not know the domain.</summary>
    public bool DomainNotFound =>
        StdErr.Contains("failed to get domain", StringComparison.OrdinalIgnoreCase)
        || StdErr.Contains("Domain not found", StringComparison.OrdinalIgnoreCase);
}

namespace VmTeleport.Guests.Hardware;

/// <summary>
/// A &lt;devices&gt;&lt;tpm&gt;. An emulated TPM keeps its state outside the disks (swtpm's
/// directory on the host), which a rebuild must carry or recreate (Windows 11, measured boot).
/// </summary>
public sealed record DomainTpm
{
    /// <summary>&lt;tpm model&gt;: "tpm-crb", "tpm-tis", ...</summary>
    public string? Model { get; init; }

    /// <summary>&lt;backend type&gt;: "emulator" or "passthrough".</summary>
    public string? BackendType { get; init; }

    /// <summary>&lt;backend version&gt;: "1.2" or "2.0".</summary>
    public string? BackendVersion { get; init; }
}

namespace VmTeleport.Guests.Hardware;

/// <summary>
/// The firmware the guest boots with, from &lt;os firmware&gt;, &lt;os&gt;&lt;loader&gt;,
/// &lt;os&gt;&lt;nvram&gt; and &lt;os&gt;&lt;firmware&gt;&lt;feature&gt;
/// (formatdomain.html, "BIOS bootloader").
/// </summary>
public sealed record DomainFirmware
{
    /// <summary>"bios" or "efi"; null when the domain is not a full-virtualization guest.</summary>
    public string? Kind { get; init; }

    /// <summary>True when &lt;os firmware='efi'&gt; asks libvirt to pick the firmware itself.</summary>
    public bool AutoSelected { get; init; }

    /// <summary>&lt;loader&gt; text: the firmware image path (e.g. /usr/share/OVMF/OVMF_CODE_4M.fd).</summary>
    public string? LoaderPath { get; init; }

    /// <summary>&lt;loader type&gt;: "rom" or "pflash".</summary>
    public string? LoaderType { get; init; }

    /// <summary>&lt;loader readonly&gt;.</summary>
    public bool? LoaderReadOnly { get; init; }

    /// <summary>&lt;loader secure&gt;: the loader needs SMM protection (a secure-boot build).</summary>
    public bool? LoaderSecure { get; init; }

    /// <summary>The per-domain UEFI variable store: &lt;nvram&gt; text or &lt;nvram&gt;&lt;source file&gt;.</summary>
    public string? NvramPath { get; init; }

    /// <summary>&lt;nvram template&gt;: the master variable store the nvram file was copied from.</summary>
    public string? NvramTemplate { get; init; }

    /// <summary>
    /// Secure boot as the XML states it: the "secure-boot" firmware feature when present, else
    /// &lt;loader secure&gt;; null when neither is stated.
    /// </summary>
    public bool? SecureBoot { get; init; }
}

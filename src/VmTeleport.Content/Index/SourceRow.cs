namespace VmTeleport.Content.Index;

/// <summary>What the sources row of a source being written holds before its content.</summary>
internal sealed record SourceRow(
    SourceKind Kind, string Location, string? Snapshot, string Format, long Size, long MtimeNs, string Fingerprint)
{
    public string? Distro { get; init; }

    public string? DistroVersion { get; init; }

    public string? Codename { get; init; }

    public string? Suite { get; init; }
}

namespace VmTeleport.Content.Index;

/// <summary>One source handled by an Add call.</summary>
public sealed record AddResult
{
    public required SourceKind Kind { get; init; }

    public required string Location { get; init; }

    public string? Snapshot { get; init; }

    public required AddOutcome Outcome { get; init; }

    /// <summary>Files and regions written (0 when skipped or failed).</summary>
    public long Items { get; init; }

    public long Chunks { get; init; }

    /// <summary>Bytes of content indexed.</summary>
    public long Bytes { get; init; }

    /// <summary>
    /// Bytes of content read from the source: through the disk image's block reads, or the .deb
    /// file's length. 0 for a skipped source (only its stat and qcow2 snapshot table are read).
    /// </summary>
    public long BytesRead { get; init; }

    public TimeSpan Elapsed { get; init; }

    /// <summary>The one-line error for <see cref="AddOutcome.Failed"/>.</summary>
    public string? Error { get; init; }

    /// <summary>The exception behind <see cref="Error"/>, so callers can map it to an exit code.</summary>
    public Exception? Exception { get; init; }

    public string Spec => Snapshot is null ? Location : $"{Location}@{Snapshot}";
}

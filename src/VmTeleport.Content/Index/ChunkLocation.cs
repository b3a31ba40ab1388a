namespace VmTeleport.Content.Index;

/// <summary>
/// Where a chunk's bytes can be read: in a file of a source (<see cref="Path"/>, at
/// <see cref="Offset"/> of that file) or in a raw region of an image (the bytes at
/// <see cref="RawOffset"/> + <see cref="Offset"/> of the virtual disk).
/// </summary>
public sealed record ChunkLocation
{
    public required long SourceId { get; init; }

    public required SourceKind Kind { get; init; }

    public required string Location { get; init; }

    public string? Snapshot { get; init; }

    public int? Volume { get; init; }

    /// <summary>The file's path (in its filesystem or package), null for a raw region.</summary>
    public string? Path { get; init; }

    /// <summary>The raw region's offset on the virtual disk, null for a file.</summary>
    public long? RawOffset { get; init; }

    /// <summary>Where the chunk starts in the file or region.</summary>
    public required long Offset { get; init; }

    public required int Length { get; init; }
}

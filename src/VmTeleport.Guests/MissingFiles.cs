namespace VmTeleport.Guests;

/// <summary>Paths packages list that are not in the guest (deleted since they were installed).</summary>
public sealed record MissingFiles
{
    public const int Listed = 200;

    public required long Count { get; init; }

    /// <summary>The first <see cref="Listed"/> of them in path order.</summary>
    public IReadOnlyList<MissingFile> Paths { get; init; } = [];
}

public sealed record MissingFile(string Path, string Package);

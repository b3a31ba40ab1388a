namespace VmTeleport.Guests.Apt;

/// <summary>
/// One source option under its one-line name (sources.list(5)): "arch", "trusted", ... A one-line
/// "arch+=i386" or a deb822 "Architectures-Add" is named "arch+", a removal "arch-".
/// </summary>
public sealed record AptOption
{
    public required string Name { get; init; }

    /// <summary>The values in the order written (comma- or space-separated lists split).</summary>
    public required IReadOnlyList<string> Values { get; init; }
}

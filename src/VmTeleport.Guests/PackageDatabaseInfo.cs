namespace VmTeleport.Guests;

/// <summary>
/// Which package database the guest has and whether it was read, so that an empty package list
/// is never mistaken for a guest without packages.
/// </summary>
public sealed record PackageDatabaseInfo
{
    /// <summary>"dpkg", "rpm", "apk", "pacman" or null when none was found.</summary>
    public string? Format { get; init; }

    public required bool Read { get; init; }

    /// <summary>Why it was not read, when it was not.</summary>
    public string? Note { get; init; }
}

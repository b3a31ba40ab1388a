namespace VmTeleport.Rebuild.Functional;

/// <summary>
/// What a functional copy's package step changed: the packages now at their newer version, every
/// guest path it created, replaced or removed (the old and new versions' files and their dpkg
/// database entries), and how many side effects of maintainer scripts it discarded so that the
/// source's own files stay exactly as they were; and the packages dpkg refused, rolled back to the
/// source's version in place (name → why).
/// </summary>
public sealed record FunctionalResult(
    IReadOnlyList<PackageUpgrade> Upgraded,
    IReadOnlySet<string> ChangedGuestPaths,
    IReadOnlySet<string> ScopeGuestPaths,
    int DiscardedSideEffects,
    IReadOnlyList<string> DiscardedSample,
    double DpkgSeconds,
    string DpkgOutput,
    IReadOnlyDictionary<string, string> RolledBack);

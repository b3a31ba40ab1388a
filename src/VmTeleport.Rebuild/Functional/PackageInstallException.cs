namespace VmTeleport.Rebuild.Functional;

/// <summary>
/// dpkg could not install some of a functional copy's newer packages (a maintainer script failed,
/// a dependency was not met): <see cref="Failed"/> names them with dpkg's own words, so the caller
/// can send those packages' files exactly instead and rebuild again.
/// </summary>
public sealed class PackageInstallException(IReadOnlyDictionary<string, string> failed, string log)
    : Exception($"dpkg could not install {failed.Count} newer package(s): {string.Join("; ", failed.Select(f => $"{f.Key}: {f.Value}"))}")
{
    /// <summary>Package name → what went wrong (the state dpkg left it in and its last error line about it).</summary>
    public IReadOnlyDictionary<string, string> Failed { get; } = failed;

    /// <summary>dpkg's whole output.</summary>
    public string Log { get; } = log;
}

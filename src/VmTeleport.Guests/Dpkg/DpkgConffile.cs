namespace VmTeleport.Guests.Dpkg;

/// <summary>
/// A conffile as the status file's Conffiles field records it: the path and the md5 of the
/// version the package shipped ("newconffile" until dpkg has configured it: then null).
/// </summary>
public sealed record DpkgConffile(string Path, string? Md5, bool Obsolete, bool RemoveOnUpgrade);

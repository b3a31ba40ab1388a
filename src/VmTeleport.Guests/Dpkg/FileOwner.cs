namespace VmTeleport.Guests.Dpkg;

/// <summary>
/// A package that lists a path, with the md5 it shipped for it (from md5sums, or Conffiles for a
/// conffile) when known.
/// </summary>
public readonly record struct FileOwner(string Package, string? Md5, bool Conffile);

namespace VmTeleport.Rebuild.Functional;

/// <summary>
/// One package a functional copy installs at a newer version than the source's: its dpkg name,
/// architecture and info name (<c>name:arch</c> for Multi-Arch: same packages, as dpkg names its
/// info files), the two versions, and the local archive holding the newer one.
/// </summary>
public sealed record PackageUpgrade(string Name, string Architecture, string InfoName, string OldVersion, string NewVersion, string DebPath);

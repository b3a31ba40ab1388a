namespace VmTeleport.Content.Index;

/// <summary>One stanza of an APT Packages index: a .deb the repository can serve.</summary>
public sealed record AptPackage(string Name, string Version, string Architecture, string Filename, long? Size, byte[]? Sha256);

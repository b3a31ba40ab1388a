namespace VmTeleport.Content.Index;

/// <summary>A package a source holds: a guest's installed package, or the .deb's own.</summary>
public sealed record IndexedPackage(string Name, string Version, string Architecture);

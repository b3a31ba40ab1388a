namespace VmTeleport.Guests.Classes;

/// <summary>The class of one entry and the package that decided it (the one whose md5 matched, or the first owner).</summary>
public readonly record struct ClassifiedEntry(FileClass Class, string? Package);

namespace VmTeleport.Guests.Classes;

/// <summary>
/// One line of a class policy: entries matching <see cref="Glob"/> are ephemeral, or are kept
/// (classified by ownership as usual) when <see cref="Ephemeral"/> is false.
/// </summary>
public sealed record ClassRule(bool Ephemeral, PathGlob Glob, string Origin);

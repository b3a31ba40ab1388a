namespace VmTeleport.Guests.Dpkg;

/// <summary>
/// A dpkg-divert(1) entry: packages other than <see cref="Package"/> that ship <see cref="From"/>
/// have it installed at <see cref="To"/>. A null package is a local diversion, applying to all.
/// </summary>
public sealed record DpkgDiversion(string From, string To, string? Package);

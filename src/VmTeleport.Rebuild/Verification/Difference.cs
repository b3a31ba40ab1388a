namespace VmTeleport.Rebuild.Verification;

/// <summary>
/// One way the target differs from the source. <see cref="Scope"/> says where ("volume 1",
/// "guest", "disk"), <see cref="Path"/> which entry or byte range, <see cref="Field"/> what
/// ("missing", "extra", "sha256", "mode", "raw", …) with both sides' values as JSON text.
/// </summary>
public sealed record Difference(string Scope, string Path, string Field, string? Source, string? Target);

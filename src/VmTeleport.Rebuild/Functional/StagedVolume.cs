namespace VmTeleport.Rebuild.Functional;

/// <summary>
/// One staged volume of a functional copy: its number, where the guest mounts it, its staged tree
/// (the overlay's lower layer) and the overlay's upper directory, where dpkg's writes land.
/// </summary>
internal sealed record StagedVolume(int Number, string MountPoint, string Lower, string Upper)
{
    /// <summary>The volume holding a guest path (the deepest mount point above it) and the path inside that volume.</summary>
    public static (StagedVolume Volume, string InVolume) Locate(IEnumerable<StagedVolume> volumes, string guestPath)
    {
        var v = volumes.Where(v => v.MountPoint == "/" || guestPath.StartsWith(v.MountPoint + "/", StringComparison.Ordinal)).MaxBy(v => v.MountPoint.Length)
            ?? throw new InvalidDataException($"functional copy: no staged volume holds {guestPath}");
        return (v, v.MountPoint == "/" ? guestPath : guestPath[v.MountPoint.Length..]);
    }
}

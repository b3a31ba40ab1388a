namespace VmTeleport.TestSupport;

/// <summary>
/// The regular files of a small image's filesystem as the kernel reads them: the image (or one of
/// its internal snapshots) made raw by qemu-img, loop-mounted read-only at <c>offset</c>, every
/// regular file that is not a symlink read whole. For small fixtures only: contents are held in memory.
/// </summary>
public static class KernelFiles
{
    public static IReadOnlyList<(string Path, byte[] Content)> Read(string image, string? snapshot, string scratchDir, long offset = 1 << 20)
    {
        var raw = Path.Combine(scratchDir, $"{Path.GetFileName(image)}-{snapshot ?? "now"}-{Guid.NewGuid():N}.raw");
        string[] args = snapshot is null
            ? ["convert", "-O", "raw", image, raw]
            : ["convert", "-O", "raw", "-l", $"snapshot.name={snapshot}", image, raw];
        ExternalCommand.Check("qemu-img", args);
        try
        {
            using var mount = LoopMount.Raw(raw, offset);
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
            return new DirectoryInfo(mount.MountPoint).EnumerateFiles("*", options)
                .Where(f => f.LinkTarget is null)
                .Select(f => (f.FullName[mount.MountPoint.Length..], File.ReadAllBytes(f.FullName)))
                .ToList();
        }
        finally
        {
            File.Delete(raw);
        }
    }
}

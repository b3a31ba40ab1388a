namespace VmTeleport.TestSupport;

/// <summary>
/// What the guest's own dpkg says about its root filesystem, asked in a chroot of the kernel's
/// read-only loop mount of the image: the package list and <c>dpkg --verify</c>. Both only read the
/// database, so a read-only mount (with journal replay off) is enough and the image stays unchanged.
/// </summary>
public static class DpkgOracle
{
    /// <summary>"name version architecture" of every installed package, as dpkg-query prints them.</summary>
    public static IReadOnlyList<string> Packages(LoopMount root) =>
        Chroot(root, "dpkg-query", "-W", "-f", "${Package} ${Version} ${Architecture}\n")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>dpkg --verify's findings: paths whose md5sum differs, and paths that are missing.</summary>
    public static (IReadOnlySet<string> Changed, IReadOnlySet<string> Missing) Verify(LoopMount root)
    {
        // dpkg --verify exits 1 when it found something; its lines are "??5?????? c /path" (an rpm -V
        // style string; the third character is the md5 check) or "missing   c /path".
        var r = ExternalCommand.Run("chroot", [root.MountPoint, "dpkg", "--verify"]);
        if (r.ExitCode is not (0 or 1))
        {
            throw new InvalidOperationException($"dpkg --verify failed ({r.ExitCode}): {r.StdErr}");
        }

        var changed = new HashSet<string>(StringComparer.Ordinal);
        var missing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = line[line.IndexOf('/', StringComparison.Ordinal)..];
            if (line.StartsWith("missing", StringComparison.Ordinal))
            {
                missing.Add(path);
            }
            else if (line[2] == '5')
            {
                changed.Add(path);
            }
        }

        return (changed, missing);
    }

    private static string Chroot(LoopMount root, params string[] command)
    {
        var r = ExternalCommand.Run("chroot", [root.MountPoint, .. command]);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"chroot {string.Join(' ', command)} failed ({r.ExitCode}): {r.StdErr}");
        }

        return r.StdOut;
    }
}

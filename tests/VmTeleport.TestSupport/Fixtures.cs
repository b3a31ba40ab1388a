using System.Collections.Concurrent;

namespace VmTeleport.TestSupport;

/// <summary>
/// The fixture images built by tools/fixtures/KIND.sh, cached outside the repository by
/// tools/fixtures/ensure.sh. The first test that asks for a kind builds it; the rest wait.
/// </summary>
public static class Fixtures
{
    private static readonly ConcurrentDictionary<string, Lazy<string>> Dirs = new();

    /// <summary>Small synthetic ext2/3/4 images with every file type and feature (tools/fixtures/ext.sh).</summary>
    public static string Ext => Dir("ext");

    /// <summary>qcow2, raw and partitioned disk images (tools/fixtures/disks.sh).</summary>
    public static string Disks => Dir("disks");

    /// <summary>Real Debian 12 guests built with mmdebstrap (tools/fixtures/debian.sh); slow the first time.</summary>
    public static string Debian => Dir("debian");

    /// <summary>
    /// A real Debian 12 web server (Apache + PHP + MariaDB, tools/fixtures/webserver.sh) with the
    /// VMTELEPORT-CHECK lines its first boot printed (expected-checks.txt); slow the first time.
    /// </summary>
    public static string Webserver => Dir("webserver");

    public static string Dir(string kind) =>
        Dirs.GetOrAdd(kind, k => new Lazy<string>(() => Ensure(k))).Value;

    public static string Path(string kind, string file) => System.IO.Path.Combine(Dir(kind), file);

    private static string Ensure(string kind)
    {
        var r = ExternalCommand.Run("bash", [RepoRoot.Combine("tools", "fixtures", "ensure.sh"), kind], TimeSpan.FromMinutes(40));
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"building the {kind} fixtures failed ({r.ExitCode}):\n{r.StdErr}");
        }

        return r.StdOut.Trim().Split('\n')[^1];
    }
}

using System.Globalization;
using System.Security.Cryptography;
using VmTeleport.Content.Debs;
using VmTeleport.TestSupport;

namespace VmTeleport.Content.Tests.Support;

/// <summary>DebArchive's view of a package in tools/oracle/debtar.py's line format, and the oracle's.</summary>
internal static class DebListing
{
    public static List<string> Read(DebArchive deb)
    {
        var lines = new List<string>();
        foreach (var e in deb.ReadData())
        {
            var digest = e.Content is null ? "-" : Convert.ToHexStringLower(SHA256.HashData(e.Content));
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{e.Type} {Convert.ToString((int)e.Mode, 8)} {e.Uid} {e.Gid} {e.Size} {e.ModificationTime.ToUnixTimeSeconds()} {digest} {e.Path}");
            lines.Add(e.LinkTarget is null ? line : line + " -> " + e.LinkTarget);
        }

        return lines;
    }

    /// <summary>dpkg-deb decompresses, Python's tarfile lists: no .NET code on the oracle's side.</summary>
    public static List<string> Oracle(string debPath)
    {
        var script = $"dpkg-deb --fsys-tarfile '{debPath}' | python3 '{RepoRoot.Combine("tools", "oracle", "debtar.py")}'";
        return ExternalCommand.Check("bash", "-o", "pipefail", "-c", script)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}

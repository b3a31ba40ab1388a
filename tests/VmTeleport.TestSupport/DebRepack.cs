namespace VmTeleport.TestSupport;

/// <summary>
/// Makes a "newer version" of a real .deb the way a rebuild by its maintainer would look: the
/// archive unpacked with dpkg-deb -R, its Version changed, optionally a file added or removed and
/// a maintainer script replaced, packed again with dpkg-deb -b.
/// </summary>
public static class DebRepack
{
    public static string Repack(string deb, string outDir, string version, IReadOnlyDictionary<string, string>? addFiles = null,
        IEnumerable<string>? removeFiles = null, string? postinst = null)
    {
        var tree = Path.Combine(outDir, Path.GetFileNameWithoutExtension(deb) + "-tree");
        if (Directory.Exists(tree))
        {
            Directory.Delete(tree, recursive: true);
        }

        ExternalCommand.Check("dpkg-deb", "-R", deb, tree);
        var control = Path.Combine(tree, "DEBIAN", "control");
        var lines = File.ReadAllLines(control).Select(l => l.StartsWith("Version: ", StringComparison.Ordinal) ? "Version: " + version : l);
        File.WriteAllLines(control, lines);
        foreach (var (path, text) in addFiles ?? new Dictionary<string, string>())
        {
            var full = Path.Combine(tree, path.TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        foreach (var path in removeFiles ?? [])
        {
            File.Delete(Path.Combine(tree, path.TrimStart('/')));
        }

        // md5sums must name what the archive holds, or dpkg --verify would report the change.
        ExternalCommand.Check("sh", "-c", "cd \"$1\" && find . -path ./DEBIAN -prune -o -type f -printf '%P\\0' | sort -z | xargs -0r md5sum > DEBIAN/md5sums", "md5", tree);
        if (postinst is not null)
        {
            var script = Path.Combine(tree, "DEBIAN", "postinst");
            File.WriteAllText(script, postinst);
            ExternalCommand.Check("chmod", "0755", script);
        }

        var name = Path.GetFileName(deb).Split('_')[0];
        var output = Path.Combine(outDir, $"{name}_{version.Replace(':', '%')}_repacked.deb");
        ExternalCommand.Check("dpkg-deb", "--root-owner-group", "-b", tree, output);
        Directory.Delete(tree, recursive: true);
        return output;
    }
}

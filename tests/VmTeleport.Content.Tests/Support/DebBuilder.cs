using System.Security.Cryptography;
using System.Text;

namespace VmTeleport.Content.Tests.Support;

/// <summary>
/// Tiny real .debs built with <c>dpkg-deb --build</c>: one file, /usr/share/NAME/version, whose
/// content names the package and version (so two versions never share a file), and an APT
/// repository over them whose Packages and Release files the test writes itself.
/// </summary>
internal static class DebBuilder
{
    /// <summary>Builds NAME_VERSION_ARCH.deb in <paramref name="directory"/> and returns its path.</summary>
    public static string Build(string directory, string name, string version, string architecture)
    {
        Directory.CreateDirectory(directory);
        var root = Path.Combine(directory, $"tree-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(root, "DEBIAN"));
        Directory.CreateDirectory(Path.Combine(root, "usr", "share", name));
        File.WriteAllText(Path.Combine(root, "usr", "share", name, "version"), $"{name} {version} {architecture}\n");
        File.WriteAllText(Path.Combine(root, "DEBIAN", "control"),
            $"Package: {name}\nVersion: {version}\nArchitecture: {architecture}\nMaintainer: t <t@example.org>\nDescription: test package\n");
        var deb = Path.Combine(directory, $"{name}_{version.Replace(":", "%3a", StringComparison.Ordinal)}_{architecture}.deb");
        Tool.Run("dpkg-deb", "--root-owner-group", "-Zgzip", "--build", root, deb);
        Directory.Delete(root, true);
        return deb;
    }

    /// <summary>
    /// A Packages index listing <paramref name="debs"/> (Filename relative to <paramref name="root"/>),
    /// written to <paramref name="packagesPath"/>; with <paramref name="release"/>, a Release file
    /// with those lines beside it.
    /// </summary>
    public static string Index(string root, string packagesPath, IEnumerable<string> debs, string? release = null)
    {
        var text = new StringBuilder();
        foreach (var deb in debs)
        {
            var fields = Tool.Run("dpkg-deb", "-f", deb, "Package", "Version", "Architecture");
            text.Append(fields);
            text.Append($"Filename: {Path.GetRelativePath(root, deb).Replace('\\', '/')}\n");
            text.Append($"Size: {new FileInfo(deb).Length}\n");
            text.Append($"SHA256: {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(deb)))}\n\n");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(packagesPath)!);
        File.WriteAllText(packagesPath, text.ToString());
        if (release is not null)
        {
            File.WriteAllText(Path.Combine(Path.GetDirectoryName(packagesPath)!, "Release"), release);
        }

        return packagesPath;
    }
}

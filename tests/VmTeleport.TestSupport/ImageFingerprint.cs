using System.Security.Cryptography;

namespace VmTeleport.TestSupport;

/// <summary>
/// What must not change when VM Teleport reads an image: its bytes (sha256), its size and its
/// modification time. Taken before and compared after, it proves the source stayed sacred.
/// </summary>
public sealed record ImageFingerprint(string Path, long Size, DateTime LastWriteUtc, string Sha256)
{
    public static ImageFingerprint Of(string path)
    {
        var info = new FileInfo(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20);
        return new ImageFingerprint(path, info.Length, info.LastWriteTimeUtc, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    /// <summary>Fingerprints of every image file (not directories, not lock files) under a folder.</summary>
    public static IReadOnlyList<ImageFingerprint> AllUnder(string directory, params string[] extensions) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => extensions.Length == 0 || extensions.Contains(System.IO.Path.GetExtension(f)))
            .Order(StringComparer.Ordinal)
            .Select(Of)
            .ToList();
}

using System.Text;
using VmTeleport.FileSystems;

namespace VmTeleport.Rebuild.Staging;

/// <summary>
/// A guest path split into name components that are safe to create under the staging root: each
/// is the raw bytes of one name (the reverse of <c>PosixName.Decode</c>: lone surrogates
/// U+DC80–U+DCFF back to the byte they stand for), never empty, ".", "..", and never holding NUL
/// or '/'. Anything else is refused with <see cref="InvalidDataException"/> naming the path.
/// </summary>
public static class StagingName
{
    public static IReadOnlyList<byte[]> Split(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path == "/")
        {
            return [];
        }

        if (!path.StartsWith('/'))
        {
            throw new InvalidDataException($"staging: path {Quote(path)} is not absolute");
        }

        var parts = path[1..].Split('/');
        var result = new List<byte[]>(parts.Length);
        foreach (var part in parts)
        {
            if (part.Length == 0 || part == "." || part == ".." || part.Contains('\0', StringComparison.Ordinal))
            {
                throw new InvalidDataException($"staging: path {Quote(path)} has a component {Quote(part)} that would leave its directory");
            }

            result.Add(Encode(part));
        }

        return result;
    }

    /// <summary>The bytes of a name or symlink target (<see cref="PosixName.Encode"/>).</summary>
    public static byte[] Encode(string s) => PosixName.Encode(s);

    /// <summary>NUL-terminated, for the *at calls.</summary>
    internal static byte[] Z(byte[] name) => [.. name, 0];

    private static string Quote(string s) => System.Text.Json.JsonSerializer.Serialize(s);
}

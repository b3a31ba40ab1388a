using System.Globalization;
using System.IO.Compression;
using System.Text;
using SharpCompress.Compressors.Xz;

namespace VmTeleport.Content.Index;

/// <summary>
/// Reads an APT Packages index (deb822 stanzas, as written by dak or dpkg-scanpackages), plain,
/// .gz or .xz by the file name's suffix, and says where each archive lives: Filename is relative
/// to the archive root (the part of the index URL before "/dists/"), or, for a flat repository
/// without dists/, to the directory holding the index.
/// </summary>
public static class AptPackagesIndex
{
    /// <summary>Packages indexes larger than this (decompressed) are refused.</summary>
    public const int MaxSize = 512 << 20;

    public static IReadOnlyList<AptPackage> Parse(byte[] data, string name)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(name);
        string text;
        using (var input = Decompress(new MemoryStream(data), name))
        using (var buffer = new MemoryStream())
        {
            var chunk = new byte[1 << 16];
            int n;
            while ((n = input.Read(chunk)) > 0)
            {
                if (buffer.Length + n > MaxSize)
                {
                    throw new InvalidDataException($"{name}: the Packages index is larger than {MaxSize} bytes decompressed");
                }

                buffer.Write(chunk, 0, n);
            }

            text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        var packages = new List<AptPackage>();
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int line = 0, stanzaLine = 1;
        string? last = null;
        foreach (var raw in text.Split('\n').Append(""))
        {
            line++;
            var l = raw.TrimEnd('\r');
            if (l.Length == 0)
            {
                if (fields.Count > 0)
                {
                    packages.Add(ToPackage(fields, name, stanzaLine));
                    fields.Clear();
                }

                last = null;
                stanzaLine = line + 1;
                continue;
            }

            if (l[0] is ' ' or '\t')
            {
                if (last is null)
                {
                    throw new InvalidDataException($"{name}: line {line} continues a field that was never started");
                }

                continue; // continuation lines (Description) carry nothing the index keeps
            }

            int colon = l.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new InvalidDataException($"{name}: line {line} is not \"Field: value\": \"{(l.Length > 80 ? l[..80] + "…" : l)}\"");
            }

            last = l[..colon];
            fields[last] = l[(colon + 1)..].Trim();
        }

        return packages;
    }

    /// <summary>The URL or path of <paramref name="filename"/> for the index at <paramref name="indexLocation"/>.</summary>
    public static string ArchiveLocation(string indexLocation, string filename)
    {
        ArgumentNullException.ThrowIfNull(indexLocation);
        ArgumentNullException.ThrowIfNull(filename);
        int dists = indexLocation.LastIndexOf("/dists/", StringComparison.Ordinal);
        var root = dists >= 0 ? indexLocation[..dists] : indexLocation[..Math.Max(0, indexLocation.LastIndexOf('/'))];
        var relative = filename.StartsWith("./", StringComparison.Ordinal) ? filename[2..] : filename.TrimStart('/');
        return root + "/" + relative;
    }

    private static Stream Decompress(Stream data, string name) =>
        name.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(data, CompressionMode.Decompress)
        : name.EndsWith(".xz", StringComparison.Ordinal) ? new XZStream(data)
        : data;

    private static AptPackage ToPackage(Dictionary<string, string> f, string name, int line)
    {
        string Required(string field) => f.TryGetValue(field, out var v) && v.Length > 0
            ? v
            : throw new InvalidDataException($"{name}: the stanza at line {line} has no {field} field");

        long? size = null;
        if (f.TryGetValue("Size", out var s))
        {
            size = long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new InvalidDataException($"{name}: the stanza at line {line} has Size \"{s}\", not a number");
        }

        byte[]? sha = null;
        if (f.TryGetValue("SHA256", out var h))
        {
            sha = h.Length == 64 && h.All(char.IsAsciiHexDigit)
                ? Convert.FromHexString(h)
                : throw new InvalidDataException($"{name}: the stanza at line {line} has SHA256 \"{h}\", not 64 hex digits");
        }

        return new AptPackage(Required("Package"), Required("Version"), Required("Architecture"), Required("Filename"), size, sha);
    }
}

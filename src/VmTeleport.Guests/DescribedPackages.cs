using System.Text.Json;
using VmTeleport.Guests.Dpkg;

namespace VmTeleport.Guests;

/// <summary>
/// What a destination needs of a source's description to install its packages itself: the dpkg
/// packages (with conffiles and info names), the release codename, the URIs of its enabled APT
/// sources, and its package-modified files — read from the description document a source agent
/// serves (docs/description-format.md).
/// </summary>
public sealed record DescribedPackages(
    IReadOnlyList<DpkgPackage> Packages,
    string? Codename,
    IReadOnlyList<string> AptUris,
    IReadOnlyList<MissingFile> ModifiedFiles,
    bool ModifiedFilesComplete)
{
    public static DescribedPackages FromJson(string json, string where)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var packages = root.TryGetProperty("packages", out var p) && p.ValueKind == JsonValueKind.Array
                ? p.Deserialize<List<DpkgPackage>>(DescriptionJson.Options) ?? []
                : [];
            string? codename = root.TryGetProperty("os", out var os) && os.ValueKind == JsonValueKind.Object
                && os.TryGetProperty("codename", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            var uris = new List<string>();
            if (root.TryGetProperty("apt", out var apt) && apt.ValueKind == JsonValueKind.Object && apt.TryGetProperty("sources", out var sources))
            {
                foreach (var s in sources.EnumerateArray().Where(s => s.TryGetProperty("enabled", out var e) && e.ValueKind == JsonValueKind.True))
                {
                    uris.AddRange(s.GetProperty("uris").EnumerateArray().Select(u => u.GetString()!).Where(u => u is not null));
                }
            }

            var modified = new List<MissingFile>();
            bool complete = true;
            if (root.TryGetProperty("modified_files", out var m) && m.ValueKind == JsonValueKind.Object)
            {
                modified.AddRange(m.GetProperty("paths").EnumerateArray().Select(x => new MissingFile(x.GetProperty("path").GetString()!, x.GetProperty("package").GetString() ?? "")));
                complete = m.GetProperty("count").GetInt64() <= modified.Count;
            }
            else
            {
                complete = false; // an agent older than modified_files: nothing is known
            }

            return new DescribedPackages(packages, codename, uris.Distinct(StringComparer.Ordinal).ToList(), modified, complete);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{where}: the description's packages cannot be read ({e.Message})", e);
        }
    }
}

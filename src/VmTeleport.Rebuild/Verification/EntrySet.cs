using System.Text.Json;
using VmTeleport.FileSystems;

namespace VmTeleport.Rebuild.Verification;

/// <summary>
/// The entries of one filesystem (or a guest's merged view) as comparable records: each tree
/// line's fields (docs/tree-format.md) as JSON text by name, keyed by the path as JSON text (as the line spells it, quotes included). Inode numbers differ
/// between a source and its rebuild, so <c>inode</c> is dropped and hard links are compared
/// instead: a non-directory with nlink &gt; 1 gets <c>link</c>, the first path (walk order) of its inode.
/// Manifest-only keys (<c>class</c>, <c>package</c>) are dropped too.
/// </summary>
public sealed class EntrySet
{
    private static readonly string[] Dropped = ["inode", "class", "package"];

    public Dictionary<string, Dictionary<string, string>> Entries { get; } = new(StringComparer.Ordinal);

    public static EntrySet FromLines(IEnumerable<string> lines, string where)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var set = new EntrySet();
        var firstPath = new Dictionary<string, string>(StringComparer.Ordinal);
        long number = 0;
        foreach (var line in lines)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            Dictionary<string, string> fields;
            try
            {
                using var doc = JsonDocument.Parse(line);
                fields = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText(), StringComparer.Ordinal);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{where} line {number}: not a JSON object ({e.Message})", e);
            }

            if (!fields.TryGetValue("path", out var pathJson) || !fields.TryGetValue("type", out var type))
            {
                throw new InvalidDataException($"{where} line {number}: no \"path\" or \"type\"");
            }

            // Keyed by the path's JSON text: names that are not UTF-8 hold lone surrogates
            // (\udcff), which System.Text.Json will not decode.
            var path = pathJson;
            if (fields.TryGetValue("inode", out var inode) && type != "\"dir\"" && fields.TryGetValue("nlink", out var nlink) && nlink != "1")
            {
                fields["link"] = firstPath.TryAdd(inode, pathJson) ? pathJson : firstPath[inode];
            }

            foreach (var d in Dropped)
            {
                fields.Remove(d);
            }

            if (!set.Entries.TryAdd(path, fields))
            {
                throw new InvalidDataException($"{where} line {number}: path {pathJson} listed twice");
            }
        }

        return set;
    }

    public static EntrySet FromFileSystem(IFileSystem fs, int threads) =>
        FromLines(HashedWalk.Run(fs, threads).Select(e => TreeRecord.ToJsonLine(e.Entry, e.Sha256)), fs.Label);
}

using System.Text;
using System.Text.Json.Nodes;

namespace VmTeleport.TestSupport;

/// <summary>
/// Compares two listings in the `tree --jsonl` format object by object (not as text, so that
/// equivalent JSON escapes do not matter) and describes the first differences found.
/// </summary>
public static class TreeComparison
{
    /// <summary>Null when equal; otherwise a readable account of up to ten differences.</summary>
    public static string? Differences(IReadOnlyList<string> expected, IReadOnlyList<string> actual, string expectedName = "kernel", string actualName = "vmteleport")
    {
        var want = Index(expected);
        var got = Index(actual);
        var report = new StringBuilder();
        int count = 0;
        void Add(string line)
        {
            if (++count <= 10)
            {
                report.AppendLine(line);
            }
        }

        foreach (var (path, node) in want)
        {
            if (!got.TryGetValue(path, out var other))
            {
                Add($"{path}: only in {expectedName}: {node.ToJsonString()}");
            }
            else if (!JsonNode.DeepEquals(node, other))
            {
                Add($"{path}:\n  {expectedName}: {node.ToJsonString()}\n  {actualName}: {other.ToJsonString()}");
            }
        }

        foreach (var (path, node) in got)
        {
            if (!want.ContainsKey(path))
            {
                Add($"{path}: only in {actualName}: {node.ToJsonString()}");
            }
        }

        if (count == 0)
        {
            var wantOrder = want.Keys.ToList();
            var gotOrder = got.Keys.ToList();
            if (!wantOrder.SequenceEqual(gotOrder))
            {
                int at = wantOrder.Zip(gotOrder).TakeWhile(p => p.First == p.Second).Count();
                return $"same entries, different order from entry {at}: {expectedName} has {wantOrder[at]}, {actualName} has {gotOrder[at]}";
            }

            return null;
        }

        return $"{count} difference(s) between {expectedName} ({want.Count} entries) and {actualName} ({got.Count} entries):\n{report}";
    }

    private static Dictionary<string, JsonNode> Index(IReadOnlyList<string> lines)
    {
        var result = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var line in lines.Where(l => l.Length > 0))
        {
            var node = JsonNode.Parse(line) ?? throw new InvalidDataException($"not a JSON object: {line}");
            var path = node["path"]?.GetValue<string>() ?? throw new InvalidDataException($"no path: {line}");
            result[path] = node;
        }

        return result;
    }
}

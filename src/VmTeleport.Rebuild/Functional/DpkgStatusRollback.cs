using System.Text;
using VmTeleport.Guests.Dpkg;

namespace VmTeleport.Rebuild.Functional;

/// <summary>
/// Rolls packages dpkg refused back to the source's version inside dpkg's status file, and finds
/// which installed newer packages must go back with them. The stanzas are moved as raw text, so a
/// rolled-back package's entry is byte for byte the source's.
/// </summary>
internal static class DpkgStatusRollback
{
    /// <summary>Fields through which a newer package can rely on, or exclude, another's version.</summary>
    private static readonly string[] RelationFields = ["Pre-Depends", "Depends", "Breaks", "Conflicts", "Replaces"];

    /// <summary>
    /// The packages to roll back: the refused ones, and every installed newer package that names
    /// one of them in a relation field of its new stanza. The newer version may need the refused
    /// package's newer version, or break or take files over from its old one; dpkg's database would
    /// then describe a system that dpkg itself would not have made. Conservative on purpose: a
    /// package rolled back costs its files' bytes, a wrong database costs the copy.
    /// </summary>
    public static Dictionary<string, string> Closure(IReadOnlyList<PackageUpgrade> upgrades, IReadOnlyDictionary<string, string> refused, string newStatus)
    {
        var relations = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var p in ControlFile.Parse(newStatus, "status", problems))
        {
            if (p["Package"] is not { } name)
            {
                continue;
            }

            var names = relations.TryGetValue(name, out var set) ? set : relations[name] = new HashSet<string>(StringComparer.Ordinal);
            foreach (var field in RelationFields)
            {
                foreach (var clause in (p[field] ?? "").Split([',', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var target = clause.Split([' ', '(', '['], 2)[0].Split(':')[0];
                    names.Add(target);
                }
            }
        }

        var back = new Dictionary<string, string>(refused, StringComparer.Ordinal);
        for (bool grew = true; grew;)
        {
            grew = false;
            foreach (var u in upgrades.Where(u => !back.ContainsKey(u.Name)))
            {
                if (relations.TryGetValue(u.Name, out var names) && names.FirstOrDefault(back.ContainsKey) is { } reason)
                {
                    back[u.Name] = $"rolled back with {reason}, which its newer version names in its relations";
                    grew = true;
                }
            }
        }

        return back;
    }

    /// <summary>
    /// <paramref name="newStatus"/> with the stanzas of <paramref name="packages"/> replaced by the
    /// source's (<paramref name="sourceStatus"/>); every other stanza and the order are dpkg's.
    /// </summary>
    public static string Merge(string newStatus, string sourceStatus, IEnumerable<PackageUpgrade> packages)
    {
        var wanted = packages.ToDictionary(u => (u.Name, u.Architecture));
        var source = Stanzas(sourceStatus).Where(s => wanted.ContainsKey(Key(s))).ToDictionary(Key);
        foreach (var key in wanted.Keys.Where(k => !source.ContainsKey(k)))
        {
            throw new InvalidDataException($"functional copy: the source's dpkg status has no entry for {key.Name}:{key.Architecture} to roll back to");
        }

        var merged = new StringBuilder(newStatus.Length);
        var seen = new HashSet<(string, string)>();
        foreach (var stanza in Stanzas(newStatus))
        {
            var key = Key(stanza);
            merged.Append(source.TryGetValue(key, out var old) ? old : stanza).Append('\n');
            seen.Add(key);
        }

        // A refused package dpkg removed from its database entirely (it never does, but the stanza must not be lost).
        foreach (var (key, old) in source.Where(s => !seen.Contains(s.Key)))
        {
            merged.Append(old).Append('\n');
        }

        return merged.ToString();
    }

    /// <summary>Each stanza's raw text with its final newline, blank separator lines dropped.</summary>
    private static IEnumerable<string> Stanzas(string status)
    {
        var current = new StringBuilder();
        foreach (var line in status.Split('\n'))
        {
            if (line.Length == 0)
            {
                if (current.Length > 0)
                {
                    yield return current.ToString();
                    current.Clear();
                }

                continue;
            }

            current.Append(line).Append('\n');
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }

    private static (string Name, string Architecture) Key(string stanza)
    {
        string name = "", arch = "";
        foreach (var line in stanza.Split('\n'))
        {
            if (line.StartsWith("Package:", StringComparison.Ordinal))
            {
                name = line["Package:".Length..].Trim();
            }
            else if (line.StartsWith("Architecture:", StringComparison.Ordinal))
            {
                arch = line["Architecture:".Length..].Trim();
            }
        }

        return (name, arch);
    }
}

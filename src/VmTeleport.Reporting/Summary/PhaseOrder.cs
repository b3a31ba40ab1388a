namespace VmTeleport.Reporting.Summary;

/// <summary>
/// Phases in the order they run: VM Teleport's pull (docs/pull.md) with `describe` at the source
/// first, then the anchors' own phases. Unknown phases follow in the order the runs give them.
/// </summary>
public static class PhaseOrder
{
    public static readonly IReadOnlyList<string> Known =
    [
        "describe", "fetch_description", "index", "plan", "probe", "extract_packages", "transfer", "copy",
        "convert", "rebuild", "verify", "deploy", "compress", "apply",
    ];

    public static IReadOnlyList<string> Sort(IEnumerable<string> phases)
    {
        var distinct = phases.Distinct(StringComparer.Ordinal).ToList();
        return distinct.OrderBy(p => IndexOf(p) ?? Known.Count + distinct.IndexOf(p)).ToList();
    }

    /// <summary>The phase's place in <see cref="Known"/>; null for a phase it does not know.</summary>
    public static int? IndexOf(string phase)
    {
        for (int i = 0; i < Known.Count; i++)
        {
            if (Known[i] == phase)
            {
                return i;
            }
        }

        return null;
    }
}

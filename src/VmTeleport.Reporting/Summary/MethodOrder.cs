namespace VmTeleport.Reporting.Summary;

/// <summary>
/// The methods a benchmark compares, in the order tables and charts show them: plain copies,
/// the anchors that use local data, then VM Teleport forced and automatic. Unknown methods
/// follow in name order.
/// </summary>
public static class MethodOrder
{
    public const string Rsync = "rsync";
    public const string RsyncSparseRaw = "rsync-sparse-raw";
    public const string ZstdPatch = "zstd-patch";
    public const string Casync = "casync";
    public const string ForcedCopy = "vmteleport-copy";
    public const string ForcedTeleport = "vmteleport-teleport";
    public const string Auto = "vmteleport";

    /// <summary>The anchors: tools that, like VM Teleport, rebuild from what the destination has.</summary>
    public static readonly IReadOnlyList<string> Anchors = [ZstdPatch, Casync];

    /// <summary>The methods benchmarks compare, in display order.</summary>
    public static readonly IReadOnlyList<string> Known = [Rsync, RsyncSparseRaw, ZstdPatch, Casync, ForcedCopy, ForcedTeleport, Auto];

    public static IReadOnlyList<string> Sort(IEnumerable<string> methods) =>
        methods.Distinct(StringComparer.Ordinal)
            .OrderBy(m => IndexOf(m) ?? Known.Count)
            .ThenBy(m => m, StringComparer.Ordinal)
            .ToList();

    /// <summary>The method's place in <see cref="Known"/>; null for a method it does not know.</summary>
    public static int? IndexOf(string method)
    {
        for (int i = 0; i < Known.Count; i++)
        {
            if (Known[i] == method)
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>VM Teleport itself, automatic or forced: the runs whose phases the report breaks down.</summary>
    public static bool IsVmTeleport(string method) =>
        method == Auto || method.StartsWith(Auto + "-", StringComparison.Ordinal);
}

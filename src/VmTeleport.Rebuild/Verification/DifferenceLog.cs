namespace VmTeleport.Rebuild.Verification;

/// <summary>
/// Collects the differences a comparison finds: all are counted (in total and by field), the
/// first <c>cap</c> are kept, so a disk that differs everywhere still gives a small report.
/// </summary>
internal sealed class DifferenceLog(int cap)
{
    private readonly List<Difference> _kept = [];
    private readonly SortedDictionary<string, long> _byField = new(StringComparer.Ordinal);
    private long _count;

    public void Add(Difference d)
    {
        _count++;
        _byField[d.Field] = _byField.GetValueOrDefault(d.Field) + 1;
        if (_kept.Count < cap)
        {
            _kept.Add(d);
        }
    }

    public long Count => _count;

    public IReadOnlyList<Difference> Kept => _kept;

    /// <summary>Where a comparison sends each difference: here, or to <paramref name="explained"/> when the scope explains it.</summary>
    public Action<Difference> Sink(FunctionalScope? scope, DifferenceLog explained) =>
        scope is null ? Add : d => (scope.Explains(d) ? explained : this).Add(d);

    public ComparisonReport Report(string mode, long compared, FunctionalScope? scope, DifferenceLog explained) => Report(mode, compared) with
    {
        Exact = _count == 0 && explained.Count == 0,
        Functional = scope is not null && _count == 0 && explained.Count > 0,
        ExplainedDifferenceCount = explained.Count,
        ExplainedDifferences = explained.Kept,
        Scope = scope,
    };

    public ComparisonReport Report(string mode, long compared) => new()
    {
        Exact = _count == 0,
        Mode = mode,
        EntriesCompared = compared,
        DifferenceCount = _count,
        DifferencesByField = _byField,
        Differences = _kept,
    };
}

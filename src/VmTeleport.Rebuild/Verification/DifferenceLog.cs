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

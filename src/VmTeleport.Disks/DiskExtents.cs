namespace VmTeleport.Disks;

/// <summary>Helpers for allocation maps.</summary>
public static class DiskExtents
{
    /// <summary>Joins adjacent extents of the same kind into maximal runs and drops empty ones.</summary>
    public static IEnumerable<DiskExtent> Merge(IEnumerable<DiskExtent> extents)
    {
        ArgumentNullException.ThrowIfNull(extents);
        return MergeIterator(extents);
    }

    private static IEnumerable<DiskExtent> MergeIterator(IEnumerable<DiskExtent> extents)
    {
        DiskExtent? pending = null;
        foreach (var e in extents)
        {
            if (e.Length == 0)
            {
                continue;
            }

            if (pending is { } p && p.Kind == e.Kind && p.End == e.Offset)
            {
                pending = p with { Length = p.Length + e.Length };
                continue;
            }

            if (pending is { } done)
            {
                yield return done;
            }

            pending = e;
        }

        if (pending is { } last)
        {
            yield return last;
        }
    }
}

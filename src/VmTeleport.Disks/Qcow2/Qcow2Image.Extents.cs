namespace VmTeleport.Disks.Qcow2;

/// <summary>The allocation map through the backing chain.</summary>
internal sealed partial class Qcow2Image
{
    public IEnumerable<DiskExtent> GetExtents(long offset, long length)
    {
        BlockSourceGuard.CheckRange(this, offset, length);
        return DiskExtents.Merge(MapRange(offset, offset + length));
    }

    private IEnumerable<DiskExtent> MapRange(long pos, long end)
    {
        while (pos < end)
        {
            var m = Map(pos, end - pos);
            long run = m.Length;
            if (m.Kind != Qcow2MappingKind.Unallocated)
            {
                yield return new DiskExtent(pos, run, m.Kind == Qcow2MappingKind.Zero ? ExtentKind.Zero : ExtentKind.Data);
                pos += run;
                continue;
            }

            while (pos + run < end)
            {
                var next = Map(pos + run, end - pos - run);
                if (next.Kind != Qcow2MappingKind.Unallocated)
                {
                    break;
                }

                run += next.Length;
            }

            // Unallocated here: whatever the backing says, and unallocated past its end.
            long inBacking = _backing is null ? 0 : Math.Clamp(_backing.Length - pos, 0, run);
            if (inBacking > 0)
            {
                foreach (var e in _backing!.GetExtents(pos, inBacking))
                {
                    yield return e;
                }
            }

            if (run > inBacking)
            {
                yield return new DiskExtent(pos + inBacking, run - inBacking, ExtentKind.Unallocated);
            }

            pos += run;
        }
    }
}

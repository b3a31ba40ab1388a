using VmTeleport.Disks;

namespace VmTeleport.Guests.Boot;

/// <summary>Finds where the non-zero bytes of a disk region begin and end, reading allocated data only.</summary>
internal static class DataSpan
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>
    /// The smallest [Start, End) inside [offset, offset + length) holding every non-zero byte, or
    /// null when the region reads as zeros. Zero and unallocated extents (disk.GetExtents) are
    /// skipped without being read.
    /// </summary>
    public static (long Start, long End)? Find(IBlockSource disk, long offset, long length)
    {
        long start = -1;
        long end = -1;
        var buffer = new byte[ChunkBytes];
        foreach (var extent in disk.GetExtents(offset, length))
        {
            if (extent.Kind != ExtentKind.Data)
            {
                continue;
            }

            for (long at = extent.Offset; at < extent.End; at += ChunkBytes)
            {
                var chunk = buffer.AsSpan(0, (int)Math.Min(ChunkBytes, extent.End - at));
                disk.ReadAt(at, chunk);
                int first = chunk.IndexOfAnyExcept((byte)0);
                if (first < 0)
                {
                    continue;
                }

                if (start < 0)
                {
                    start = at + first;
                }

                end = at + chunk.LastIndexOfAnyExcept((byte)0) + 1;
            }
        }

        return start < 0 ? null : (start, end);
    }
}

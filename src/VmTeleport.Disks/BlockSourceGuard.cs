namespace VmTeleport.Disks;

/// <summary>Argument checks shared by every block source, kept out of the hot paths' bodies.</summary>
public static class BlockSourceGuard
{
    public static void CheckRange(IBlockSource source, long offset, long count)
    {
        if (offset < 0 || count < 0 || offset > source.Length || count > source.Length - offset)
        {
            ThrowOutOfRange(source, offset, count);
        }
    }

    private static void ThrowOutOfRange(IBlockSource source, long offset, long count) =>
        throw new ArgumentOutOfRangeException(
            nameof(offset),
            $"read of 0x{count:x} bytes at 0x{offset:x} is outside {source.Description} (size 0x{source.Length:x})");
}

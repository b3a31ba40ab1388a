namespace VmTeleport.Disks;

/// <summary>
/// A window [offset, offset + length) of another block source, such as one partition of a disk.
/// It does not own the source it views.
/// </summary>
public sealed class BlockSlice : IBlockSource
{
    private readonly IBlockSource _source;
    private readonly long _offset;

    public BlockSlice(IBlockSource source, long offset, long length, string description)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (offset < 0 || length < 0 || offset > source.Length || length > source.Length - offset)
        {
            throw new InvalidDataException(
                $"{description}: range 0x{offset:x}+0x{length:x} lies outside {source.Description} (size 0x{source.Length:x})");
        }

        _source = source;
        _offset = offset;
        Length = length;
        Description = description;
    }

    public string Description { get; }

    public long Length { get; }

    public void ReadAt(long offset, Span<byte> buffer)
    {
        BlockSourceGuard.CheckRange(this, offset, buffer.Length);
        _source.ReadAt(_offset + offset, buffer);
    }

    public IEnumerable<DiskExtent> GetExtents(long offset, long length)
    {
        BlockSourceGuard.CheckRange(this, offset, length);
        foreach (var e in _source.GetExtents(_offset + offset, length))
        {
            yield return e with { Offset = e.Offset - _offset };
        }
    }

    public void Dispose()
    {
    }
}

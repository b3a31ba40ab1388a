namespace VmTeleport.Disks;

/// <summary>A contiguous range of a virtual disk with one kind of backing.</summary>
public readonly record struct DiskExtent(long Offset, long Length, ExtentKind Kind)
{
    public long End => Offset + Length;
}

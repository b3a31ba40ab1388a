namespace VmTeleport.FileSystems.Ext;

/// <summary>
/// A run of a file's logical blocks with one kind of backing: <see cref="PhysicalBlock"/> ≥ 0 for
/// data at consecutive physical blocks, −1 for a hole; uninitialized extents are holes here
/// (they read as zeros and hold no data).
/// </summary>
internal readonly record struct BlockRun(long LogicalBlock, long Count, long PhysicalBlock)
{
    public bool IsHole => PhysicalBlock < 0;
}

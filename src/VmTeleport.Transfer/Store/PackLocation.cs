namespace VmTeleport.Transfer.Store;

/// <summary>
/// Where a chunk's record is: pack number, offset of its record header in that pack, chunk length.
/// The offset comes first so the struct is 16 bytes (it is one per chunk in memory).
/// </summary>
internal readonly record struct PackLocation(long Offset, int Pack, int Length)
{
    /// <summary>The offset of the chunk's bytes, just after its record header.</summary>
    public long DataOffset => Offset + PackRecordHeader.Size;

    /// <summary>The offset just past the record.</summary>
    public long End => DataOffset + Length;
}

namespace VmTeleport.Rebuild;

/// <summary>Where an <see cref="IContentProvider"/> puts bytes: offsets relative to the item's first byte.</summary>
public interface IContentSink
{
    void Write(long offset, ReadOnlySpan<byte> data);
}

using VmTeleport.Content.Images;

namespace VmTeleport.Rebuild;

/// <summary>
/// Supplies the bytes of the <see cref="ContentItem"/>s a rebuild needs: the local copy of the
/// source image (<see cref="SourceImageProvider"/>) now; later the pulling client, from the local
/// content index and the wire, chunk by chunk. A provider writes only non-zero data: ranges it
/// never writes are holes in the staged file or zeros on the disk. It may be called from several
/// threads at once, each call with its own sink.
/// </summary>
public interface IContentProvider
{
    /// <summary>Writes a regular file's content (<see cref="ContentItemKind.File"/>) to <paramref name="sink"/>.</summary>
    void CopyFile(ContentItem file, IContentSink sink);

    /// <summary>Writes a raw region's bytes (<see cref="ContentItemKind.Region"/>) to <paramref name="sink"/>.</summary>
    void CopyRegion(ContentItem region, IContentSink sink);
}

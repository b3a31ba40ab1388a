using VmTeleport.Content.Images;

namespace VmTeleport.Transfer.Client;

/// <summary>A served VM's content manifest as fetched: its items in walk order and the image state they describe.</summary>
public sealed record RemoteManifest(string Vm, string ImageState, IReadOnlyList<ContentItem> Items, long WireBodyBytes)
{
    /// <summary>Every chunk once, in first-occurrence order, with its length.</summary>
    public IReadOnlyList<ChunkSpan> DistinctChunks()
    {
        var seen = new HashSet<Content.Chunking.ChunkId>();
        var list = new List<ChunkSpan>();
        foreach (var item in Items)
        {
            foreach (var c in item.Chunks)
            {
                if (seen.Add(c.Id))
                {
                    list.Add(c);
                }
            }
        }

        return list;
    }
}

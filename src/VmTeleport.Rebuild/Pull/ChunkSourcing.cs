using VmTeleport.Content.Chunking;
using VmTeleport.Content.Images;
using VmTeleport.Content.Index;
using VmTeleport.Transfer.Store;

namespace VmTeleport.Rebuild.Pull;

/// <summary>
/// Where each distinct chunk of the source comes from at the destination: already in the chunk
/// store (an earlier, interrupted pull), a local image (read at random while rebuilding), a local
/// .deb (extracted into the store first), or the wire. Held in memory as ids and locations only.
/// </summary>
public sealed class ChunkSourcing
{
    public Dictionary<ChunkId, int> Stored { get; } = [];

    public Dictionary<ChunkId, ChunkLocation> Local { get; } = [];

    public Dictionary<ChunkId, ChunkLocation> Debs { get; } = [];

    public List<ChunkSpan> Wire { get; } = [];

    /// <summary>Source bytes that repeat a chunk already counted (copied locally once it is there).</summary>
    public long DuplicateBytes { get; private set; }

    public long StoredBytes => Stored.Values.Sum(v => (long)v);

    public long LocalBytes => Local.Values.Sum(l => (long)l.Length);

    public long DebBytes => Debs.Values.Sum(l => (long)l.Length);

    public long WireBytes => Wire.Sum(c => (long)c.Length);

    /// <summary>Local bytes by kind of source (image, snapshot, backing, deb).</summary>
    public IReadOnlyDictionary<string, long> LocalBytesByKind() =>
        Local.Values.Concat(Debs.Values).GroupBy(l => SourceKinds.Name(l.Kind))
            .ToDictionary(g => g.Key, g => g.Sum(l => (long)l.Length), StringComparer.Ordinal);

    public static ChunkSourcing Plan(IEnumerable<ContentItem> items, ContentIndex index, IChunkStore store)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(store);
        var plan = new ChunkSourcing();
        var distinct = new Dictionary<ChunkId, int>();
        foreach (var item in items)
        {
            foreach (var chunk in item.Chunks)
            {
                if (!distinct.TryAdd(chunk.Id, chunk.Length))
                {
                    plan.DuplicateBytes += chunk.Length;
                }
            }
        }

        var unstored = new List<ChunkId>();
        foreach (var (id, length) in distinct)
        {
            if (store.Contains(id))
            {
                plan.Stored[id] = length;
            }
            else
            {
                unstored.Add(id);
            }
        }

        var found = index.LocateChunks(unstored);
        foreach (var id in unstored)
        {
            int length = distinct[id];
            if (found.TryGetValue(id, out var at) && at.Length == length)
            {
                (at.Kind == SourceKind.Deb ? plan.Debs : plan.Local)[id] = at;
            }
            else
            {
                plan.Wire.Add(new ChunkSpan(id, length));
            }
        }

        return plan;
    }
}

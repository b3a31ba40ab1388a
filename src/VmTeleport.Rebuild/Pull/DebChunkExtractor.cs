using VmTeleport.Content.Chunking;
using VmTeleport.Content.Debs;
using VmTeleport.Content.Index;
using VmTeleport.Transfer.Store;

namespace VmTeleport.Rebuild.Pull;

/// <summary>
/// Copies chunks out of local .deb archives into a chunk store. A package's data.tar can only be
/// read forward, so each archive is read once, front to back, for all the chunks wanted from it;
/// archives are read in parallel. Every chunk is checked against its id by the store; one that
/// does not match (the archive changed since it was indexed) or is not reached (a hard link whose
/// target came earlier in the archive) is left out, and the caller fetches it over the wire.
/// </summary>
public static class DebChunkExtractor
{
    /// <summary>Extracts the wanted chunks; returns the ids stored and the bytes they hold.</summary>
    public static (HashSet<ChunkId> Stored, long Bytes) Extract(
        IReadOnlyDictionary<ChunkId, ChunkLocation> wanted, IChunkStore store, int threads, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(store);
        var byDeb = wanted
            .Where(w => w.Value.Kind == SourceKind.Deb && w.Value.Path is not null)
            .GroupBy(w => w.Value.Location)
            .ToList();
        var stored = new HashSet<ChunkId>();
        long bytes = 0;
        var gate = new Lock();
        Parallel.ForEach(byDeb, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, deb =>
        {
            var members = deb.GroupBy(w => w.Value.Path!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.OrderBy(w => w.Value.Offset).ToList(), StringComparer.Ordinal);
            var mine = new List<ChunkId>();
            long mineBytes = 0;
            try
            {
                // Hard links come after their targets in data.tar: chunks wanted under a link's
                // name are read from its target in a second pass, needed only then.
                var viaLinks = ReadOnce(deb.Key, members, store, mine, ref mineBytes);
                if (viaLinks.Count > 0)
                {
                    ReadOnce(deb.Key, viaLinks, store, mine, ref mineBytes);
                }
            }
            catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or UnauthorizedAccessException)
            {
                // The chunks not yet stored come over the wire instead.
                warn?.Invoke($"{deb.Key}: {e.Message}; its remaining chunks come over the wire");
            }

            lock (gate)
            {
                stored.UnionWith(mine);
                bytes += mineBytes;
            }
        });
        return (stored, bytes);
    }

    /// <summary>Reads the archive once, storing the wanted ranges of its regular files; returns the ranges wanted under hard links' names, keyed by their targets.</summary>
    private static Dictionary<string, List<KeyValuePair<ChunkId, ChunkLocation>>> ReadOnce(
        string path, Dictionary<string, List<KeyValuePair<ChunkId, ChunkLocation>>> members, IChunkStore store, List<ChunkId> stored, ref long bytes)
    {
        var viaLinks = new Dictionary<string, List<KeyValuePair<ChunkId, ChunkLocation>>>(StringComparer.Ordinal);
        using var archive = DebArchive.Open(path);
        foreach (var entry in archive.ReadData())
        {
            if (!members.Remove(entry.Path, out var ranges))
            {
                continue;
            }

            if (entry.Type == DebEntryType.HardLink && entry.LinkTarget is { } target)
            {
                viaLinks[target] = ranges;
            }
            else if (entry.Type == DebEntryType.RegularFile)
            {
                foreach (var (id, length) in CopyRanges(entry.Content!, ranges, store))
                {
                    stored.Add(id);
                    bytes += length;
                }
            }

            if (members.Count == 0)
            {
                break;
            }
        }

        return viaLinks;
    }

    private static List<(ChunkId, int)> CopyRanges(Stream content, List<KeyValuePair<ChunkId, ChunkLocation>> ranges, IChunkStore store)
    {
        var done = new List<(ChunkId, int)>();
        var buffer = new byte[64 * 1024];
        long position = 0;
        foreach (var (id, at) in ranges)
        {
            if (at.Offset < position)
            {
                continue; // overlapping ranges cannot occur for one file's chunks; be safe anyway
            }

            Skip(content, at.Offset - position, buffer);
            position = at.Offset;
            var data = at.Length <= buffer.Length ? buffer.AsSpan(0, at.Length) : new byte[at.Length];
            int read = content.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
            position += read;
            if (read != at.Length)
            {
                break;
            }

            try
            {
                store.Write(id, data);
                done.Add((id, at.Length));
            }
            catch (InvalidDataException)
            {
                // The member's bytes differ from what was indexed: leave the chunk to the wire.
            }
        }

        return done;
    }

    private static void Skip(Stream content, long count, byte[] buffer)
    {
        while (count > 0)
        {
            int n = content.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (n == 0)
            {
                throw new EndOfStreamException("archive member ended early");
            }

            count -= n;
        }
    }
}

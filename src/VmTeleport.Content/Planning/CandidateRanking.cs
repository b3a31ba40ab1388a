using VmTeleport.Content.Chunking;
using VmTeleport.Content.Index;

namespace VmTeleport.Content.Planning;

/// <summary>
/// Ranks the indexed images and snapshots of the source's distro and major version by the bytes
/// that would still be needed from the source with each as the base: the source's distinct chunks
/// minus the candidate's. Candidates are compared in parallel, each on its own index connection,
/// by a merge join over chunk ids in id order (the index returns them sorted): at id X a
/// candidate can at best still cover the source's chunks above X, so once even that cannot beat
/// the best finished candidate it stops reading.
/// </summary>
public static class CandidateRanking
{
    public static IReadOnlyList<Candidate> Rank(Func<ContentIndex> openIndex, SourceContent source, int threads)
    {
        ArgumentNullException.ThrowIfNull(openIndex);
        ArgumentNullException.ThrowIfNull(source);
        var chunks = source.DistinctChunks().OrderBy(kv => kv.Key).ToArray();
        // suffix[i] = bytes of the source's chunks from i on: the most a candidate can still cover.
        var suffix = new long[chunks.Length + 1];
        for (int i = chunks.Length - 1; i >= 0; i--)
        {
            suffix[i] = suffix[i + 1] + chunks[i].Value;
        }

        List<IndexedSource> candidates;
        using (var index = openIndex())
        {
            candidates = index.Sources().Where(s => IsCandidate(s, source)).ToList();
        }

        long best = long.MaxValue;
        var results = new Candidate?[candidates.Count];
        Parallel.For(0, candidates.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, i =>
        {
            using var index = openIndex();
            var c = candidates[i];
            var (needed, pruned) = Needed(index.ChunksOf(c.Id), chunks, suffix, () => Interlocked.Read(ref best));
            if (!pruned)
            {
                long seen;
                while (needed < (seen = Interlocked.Read(ref best)) && Interlocked.CompareExchange(ref best, needed, seen) != seen)
                {
                }
            }

            var theirs = index.PackagesOf(c.Id).Select(p => $"{p.Name}:{p.Architecture}={p.Version}").ToHashSet(StringComparer.Ordinal);
            var ours = source.Packages.Select(p => $"{p.Name}:{p.Architecture}={p.Version}").ToHashSet(StringComparer.Ordinal);
            results[i] = new Candidate
            {
                Image = c.Location,
                Snapshot = c.Snapshot,
                Kind = SourceKinds.Name(c.Kind),
                Distro = c.Distro,
                Version = c.DistroVersion,
                BytesNeeded = needed,
                Pruned = pruned,
                PackagesToAdd = [.. ours.Except(theirs).Order(StringComparer.Ordinal)],
                PackagesToRemove = [.. theirs.Except(ours).Order(StringComparer.Ordinal)],
            };
        });

        return [.. results.OfType<Candidate>().OrderBy(c => c.Pruned).ThenBy(c => c.BytesNeeded).ThenBy(c => c.Image, StringComparer.Ordinal).ThenBy(c => c.Snapshot, StringComparer.Ordinal)];
    }

    /// <summary>Same distro and major version as the source, when the source's OS is known.</summary>
    private static bool IsCandidate(IndexedSource s, SourceContent source)
    {
        if (s.Kind is not (SourceKind.Image or SourceKind.Snapshot or SourceKind.Backing))
        {
            return false;
        }

        if (source.Os?.Distro is not { } distro)
        {
            return true;
        }

        return s.Distro == distro && Major(s.DistroVersion) == Major(source.Os.Version);
    }

    private static string? Major(string? version) => version?.Split('.')[0];

    internal static (long Needed, bool Pruned) Needed(IEnumerable<ChunkId> candidateChunks, KeyValuePair<ChunkId, int>[] source, long[] suffix, Func<long> best)
    {
        long total = suffix[0], covered = 0;
        int i = 0, step = 0;
        foreach (var id in candidateChunks)
        {
            while (i < source.Length && source[i].Key < id)
            {
                i++;
            }

            if (i == source.Length)
            {
                break;
            }

            if (source[i].Key == id)
            {
                covered += source[i].Value;
                i++;
            }

            // Checked every 4096 ids: the bound moves slowly and the check reads a shared value.
            if (++step % 4096 == 0 && total - (covered + suffix[i]) > best())
            {
                return (total - (covered + suffix[i]), true);
            }
        }

        return (total - covered, false);
    }
}

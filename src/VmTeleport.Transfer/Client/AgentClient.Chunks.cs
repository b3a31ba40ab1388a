using System.Diagnostics;
using System.Net.Http.Headers;
using VmTeleport.Content.Chunking;
using VmTeleport.Content.Images;
using VmTeleport.Transfer.Protocol;
using VmTeleport.Transfer.Store;

namespace VmTeleport.Transfer.Client;

/// <summary>Fetching chunks: batches over parallel HTTP/2 streams, each chunk verified and stored as its frame arrives.</summary>
public sealed partial class AgentClient
{
    /// <summary>
    /// Fetches every chunk of <paramref name="wanted"/> that <paramref name="store"/> lacks, in
    /// batches of about <see cref="AgentClientOptions.BatchBytes"/>, <see cref="AgentClientOptions.Parallelism"/>
    /// at a time. A chunk whose bytes do not hash to its id is never stored and is asked for again;
    /// a batch whose stream drops is asked for again without the chunks already stored; after
    /// <see cref="AgentClientOptions.MaxAttempts"/> attempts the chunk's failure is thrown
    /// (<see cref="InvalidDataException"/> for a hash mismatch, naming the chunk).
    /// </summary>
    public async Task<FetchResult> FetchChunksAsync(RemoteManifest manifest, IEnumerable<ChunkSpan> wanted, IChunkStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(store);
        var clock = Stopwatch.StartNew();
        var seen = new HashSet<ChunkId>();
        var missing = new List<ChunkSpan>();
        int already = 0;
        foreach (var chunk in wanted)
        {
            if (!seen.Add(chunk.Id))
            {
                continue;
            }

            if (store.Contains(chunk.Id))
            {
                already++;
            }
            else
            {
                missing.Add(chunk);
            }
        }

        var batches = new List<List<ChunkSpan>>();
        var current = new List<ChunkSpan>();
        long bytes = 0;
        foreach (var chunk in missing)
        {
            if (current.Count > 0 && (bytes + chunk.Length > _options.BatchBytes || current.Count == ProtocolHeaders.MaxIdsPerBatch))
            {
                batches.Add(current);
                current = [];
                bytes = 0;
            }

            current.Add(chunk);
            bytes += chunk.Length;
        }

        if (current.Count > 0)
        {
            batches.Add(current);
        }

        var tally = new FetchTally();
        await Parallel.ForEachAsync(
            batches,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Parallelism), CancellationToken = cancellationToken },
            async (batch, ct) => await FetchBatchAsync(manifest, batch, store, tally, ct).ConfigureAwait(false)).ConfigureAwait(false);

        return new FetchResult
        {
            Wanted = seen.Count,
            AlreadyStored = already,
            Fetched = tally.Fetched,
            RequestedIds = tally.RequestedIds,
            Corrupt = tally.Corrupt,
            FailedRequests = tally.FailedRequests,
            RawBytes = tally.RawBytes,
            PayloadBytes = tally.PayloadBytes,
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    private async Task FetchBatchAsync(RemoteManifest manifest, List<ChunkSpan> batch, IChunkStore store, FetchTally tally, CancellationToken cancellationToken)
    {
        var pending = new Dictionary<ChunkId, int>(batch.Count);
        foreach (var c in batch)
        {
            pending[c.Id] = c.Length;
        }

        var hashFailures = new Dictionary<ChunkId, int>();
        Exception? lastFailure = null;
        for (int attempt = 1; pending.Count > 0; attempt++)
        {
            if (attempt > _options.MaxAttempts)
            {
                var (id, failures) = hashFailures.Where(h => pending.ContainsKey(h.Key)).Select(h => (h.Key, h.Value)).FirstOrDefault();
                if (failures > 0)
                {
                    throw new InvalidDataException(
                        $"chunk {id} of VM {manifest.Vm} from {Agent} failed its hash check {failures} times in {_options.MaxAttempts} attempts; nothing of it was stored");
                }

                throw new IOException(
                    $"{pending.Count} chunks of VM {manifest.Vm} (first {pending.Keys.First()}) could not be fetched from {Agent} in {_options.MaxAttempts} attempts: {lastFailure?.Message}",
                    lastFailure);
            }

            if (attempt > 1)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * (attempt - 1)), cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await RequestAsync(manifest, pending, hashFailures, store, tally, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or HttpRequestException && e is not AgentStateException)
            {
                // A dropped stream or a damaged frame: what was stored stays stored, the rest is asked for again.
                tally.AddFailedRequest();
                lastFailure = e;
            }
        }
    }

    private async Task RequestAsync(RemoteManifest manifest, Dictionary<ChunkId, int> pending, Dictionary<ChunkId, int> hashFailures,
        IChunkStore store, FetchTally tally, CancellationToken cancellationToken)
    {
        var ids = new byte[pending.Count * ChunkId.Size];
        int at = 0;
        foreach (var id in pending.Keys)
        {
            id.CopyTo(ids.AsSpan(at));
            at += ChunkId.Size;
        }

        tally.AddRequested(pending.Count);
        var request = new HttpRequestMessage(HttpMethod.Post, $"v1/vms/{Name(manifest.Vm)}/chunks")
        {
            Content = new ByteArrayContent(ids),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(ProtocolHeaders.ChunkIdsType);
        request.Headers.Add(ProtocolHeaders.Codec, ChunkCompression.Name(_options.Codec));
        if (manifest.ImageState.Length > 0)
        {
            request.Headers.Add(ProtocolHeaders.ImageState, manifest.ImageState);
        }

        using var response = await SendAsync(request, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        var where = $"chunks of {Agent}{manifest.Vm}";
        var codecName = response.Headers.TryGetValues(ProtocolHeaders.Codec, out var v) ? v.First() : "";
        if (!ChunkCompression.TryParse(codecName, out var codec))
        {
            throw new InvalidDataException($"{where}: response codec \"{codecName}\" is not zstd, brotli or none");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        while (await ChunkFrame.ReadAsync(body, codec, where, cancellationToken).ConfigureAwait(false) is { } frame)
        {
            tally.AddPayload(frame.PayloadBytes);
            for (int i = 0; i < frame.Ids.Count; i++)
            {
                var id = frame.Ids[i];
                var data = frame.Chunk(i);
                if (!pending.ContainsKey(id))
                {
                    throw new InvalidDataException($"{where}: the agent sent chunk {id}, which this request did not ask for");
                }

                if (ChunkHasher.Default.Hash(data) != id)
                {
                    hashFailures[id] = hashFailures.GetValueOrDefault(id) + 1;
                    tally.AddCorrupt();
                    continue;
                }

                store.Write(id, data);
                pending.Remove(id);
                tally.AddFetched(data.Length);
            }
        }
    }
}

namespace VmTeleport.Transfer.Client;

/// <summary>What one <see cref="AgentClient.FetchChunksAsync"/> did.</summary>
public sealed record FetchResult
{
    /// <summary>Distinct chunks asked for by the caller.</summary>
    public required int Wanted { get; init; }

    /// <summary>Of those, already in the store: never requested.</summary>
    public required int AlreadyStored { get; init; }

    /// <summary>Chunks received, verified and stored.</summary>
    public required int Fetched { get; init; }

    /// <summary>Chunk ids sent in requests, retries included.</summary>
    public required long RequestedIds { get; init; }

    /// <summary>Chunks that arrived damaged (hash mismatch) and were asked for again.</summary>
    public required int Corrupt { get; init; }

    /// <summary>Batch requests that failed (dropped stream, error status) and were retried.</summary>
    public required int FailedRequests { get; init; }

    /// <summary>Bytes of the fetched chunks as stored.</summary>
    public required long RawBytes { get; init; }

    /// <summary>Bytes of the chunk frames received (HTTP/2 body bytes, before TLS and framing).</summary>
    public required long PayloadBytes { get; init; }

    public required double Seconds { get; init; }
}

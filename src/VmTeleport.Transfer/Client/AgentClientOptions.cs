using VmTeleport.Transfer.Protocol;

namespace VmTeleport.Transfer.Client;

/// <summary>How an <see cref="AgentClient"/> fetches chunks.</summary>
public sealed record AgentClientOptions
{
    /// <summary>Batch requests in flight at once, each an HTTP/2 stream of the same connection.</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>Raw chunk bytes asked for in one request (at most <see cref="ProtocolHeaders.MaxIdsPerBatch"/> ids).</summary>
    public int BatchBytes { get; init; } = 4 << 20;

    /// <summary>Times one chunk is asked for before its failure is an error (corrupt data, dropped streams).</summary>
    public int MaxAttempts { get; init; } = 4;

    public ChunkCodec Codec { get; init; } = ChunkCodec.Zstd;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
}

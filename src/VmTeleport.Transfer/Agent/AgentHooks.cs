using VmTeleport.Content.Chunking;

namespace VmTeleport.Transfer.Agent;

/// <summary>
/// Lets tests see what the agent receives and damage what it sends (a corrupt chunk, a connection
/// dropped mid-response), so the client's defences are tested against the real server.
/// </summary>
public sealed class AgentHooks
{
    /// <summary>Called for every request that reached the agent, authorized or not, with its path.</summary>
    public Action<string>? RequestReceived { get; init; }

    /// <summary>Called with every batch of chunk ids an authorized client asked for.</summary>
    public Action<string, IReadOnlyList<ChunkId>>? BatchRequested { get; init; }

    /// <summary>
    /// Called with each chunk's bytes before they are framed: returns the bytes to send instead
    /// (the same array when nothing changes). Throwing aborts the response mid-stream.
    /// </summary>
    public Func<string, ChunkId, byte[], byte[]>? ServingChunk { get; init; }
}

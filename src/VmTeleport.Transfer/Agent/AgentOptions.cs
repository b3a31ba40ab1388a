using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace VmTeleport.Transfer.Agent;

/// <summary>What a <see cref="SourceAgent"/> serves, where, and to whom.</summary>
public sealed record AgentOptions
{
    public required IReadOnlyList<ServedImage> Images { get; init; }

    /// <summary>Address and port to listen on; port 0 picks a free one (see <see cref="SourceAgent.Address"/>).</summary>
    public required IPEndPoint Listen { get; init; }

    public required BearerToken Token { get; init; }

    /// <summary>The TLS certificate (<see cref="AgentCertificate.LoadOrCreate"/>).</summary>
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>Raw chunk bytes per response frame before it is compressed and sent.</summary>
    public int FrameBytes { get; init; } = 1 << 20;

    /// <summary>Files read at once while walking an image.</summary>
    public int Threads { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Observation and fault injection for tests; null in production.</summary>
    public AgentHooks? Hooks { get; init; }
}

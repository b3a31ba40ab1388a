using System.Collections.Concurrent;
using System.Net;
using VmTeleport.Content.Chunking;
using VmTeleport.TestSupport;
using VmTeleport.Transfer.Agent;
using VmTeleport.Transfer.Client;

namespace VmTeleport.Transfer.Tests;

/// <summary>A source agent on 127.0.0.1:0 serving the demo image, with a fresh data directory, recording what it receives.</summary>
public sealed class TestAgent : IAsyncDisposable
{
    public const string Token = "test-token-5f1c2b";

    private TestAgent(SourceAgent agent, string dir)
    {
        Agent = agent;
        Directory = dir;
    }

    public SourceAgent Agent { get; }

    public string Directory { get; }

    public ConcurrentQueue<string> Requests { get; } = new();

    public ConcurrentQueue<ChunkId> RequestedIds { get; } = new();

    public static string DemoImage => Fixtures.Path("demo", "demo.qcow2");

    public string StoreDir => Path.Combine(Directory, "client", "chunks");

    public static async Task<TestAgent> StartAsync(Func<string, ChunkId, byte[], byte[]>? serving = null, int frameBytes = 1 << 20, string? image = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "vmt-transfer-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        TestAgent? self = null;
        var hooks = new AgentHooks
        {
            RequestReceived = p => self!.Requests.Enqueue(p),
            BatchRequested = (_, ids) =>
            {
                foreach (var id in ids)
                {
                    self!.RequestedIds.Enqueue(id);
                }
            },
            ServingChunk = serving,
        };
        var agent = await SourceAgent.StartAsync(new AgentOptions
        {
            Images = [ServedImage.Parse("demo=" + (image ?? DemoImage))],
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Token = new BearerToken(Token),
            Certificate = AgentCertificate.LoadOrCreate(Path.Combine(dir, "agent")),
            FrameBytes = frameBytes,
            Hooks = hooks,
        });
        self = new TestAgent(agent, dir);
        return self;
    }

    public AgentClient Client(string token = Token, AgentClientOptions? options = null) =>
        new(Agent.Address, token, Agent.Fingerprint, options);

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

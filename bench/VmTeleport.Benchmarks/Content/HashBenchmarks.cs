using BenchmarkDotNet.Attributes;
using VmTeleport.Content.Chunking;

namespace VmTeleport.Benchmarks.Content;

/// <summary>One-shot hashing of one chunk: the choice of the chunk id hash (docs/chunking.md).</summary>
[MemoryDiagnoser]
public class HashBenchmarks
{
    private readonly Sha256ChunkHasher _sha256 = new();
    private readonly Blake3ChunkHasher _blake3 = new();
    private byte[] _data = [];

    [Params(4 * 1024, 8 * 1024, 16 * 1024, 32 * 1024, 64 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Size];
        new Random(42).NextBytes(_data);
    }

    [Benchmark(Baseline = true)]
    public ChunkId Sha256() => _sha256.Hash(_data);

    [Benchmark]
    public ChunkId Blake3() => _blake3.Hash(_data);
}

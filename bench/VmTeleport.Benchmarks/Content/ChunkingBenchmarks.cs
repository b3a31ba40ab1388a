using BenchmarkDotNet.Attributes;
using VmTeleport.Content.Chunking;

namespace VmTeleport.Benchmarks.Content;

/// <summary>FastCDC boundaries alone, and boundaries plus ids through the streaming reader, over 32 MiB.</summary>
[MemoryDiagnoser]
public class ChunkingBenchmarks
{
    private byte[] _data = [];
    private FastCdc _cdc = null!;

    [Params(8 * 1024, 16 * 1024, 64 * 1024)]
    public int Average { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[32 << 20];
        new Random(42).NextBytes(_data);
        _cdc = new FastCdc(new ChunkerOptions(Average / 4, Average, Average * 4));
    }

    [Benchmark(Baseline = true)]
    public int Boundaries()
    {
        var count = 0;
        ReadOnlySpan<byte> rest = _data;
        while (!rest.IsEmpty)
        {
            rest = rest[_cdc.NextBoundary(rest)..];
            count++;
        }

        return count;
    }

    [Benchmark]
    public int ChunkAndBlake3() => ChunkAndHash(ChunkHasher.Default);

    [Benchmark]
    public int ChunkAndSha256() => ChunkAndHash(new Sha256ChunkHasher());

    private int ChunkAndHash(ChunkHasher hasher)
    {
        var reader = new ChunkReader(new MemoryStream(_data, writable: false), _cdc, hasher);
        var count = 0;
        while (reader.TryReadNext(out _, out _))
        {
            count++;
        }

        return count;
    }
}

using VmTeleport.Content.Chunking;

namespace VmTeleport.Transfer.Tests;

/// <summary>Deterministic random chunks: the same (seed, index) gives the same bytes in every process.</summary>
internal static class ChunkSamples
{
    public static (ChunkId Id, byte[] Data) Make(int seed, int index, int minLength = 2 << 10, int maxLength = 32 << 10)
    {
        // Not HashCode.Combine: it is seeded per process, and the kill test needs the same bytes in two.
        var random = new Random(unchecked((seed * 1_000_003) + index));
        var data = new byte[random.Next(minLength, maxLength + 1)];
        random.NextBytes(data);
        return (ChunkHasher.Default.Hash(data), data);
    }
}

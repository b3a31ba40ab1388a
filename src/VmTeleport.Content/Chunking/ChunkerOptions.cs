using System.Numerics;

namespace VmTeleport.Content.Chunking;

/// <summary>
/// The three sizes that shape FastCDC's chunks (docs/chunking.md). The average must be a power of
/// two because the two cut masks are derived from its base-2 logarithm; the defaults were chosen
/// by measurement on real guest files (docs/chunking.md, "Chunk sizes").
/// </summary>
public sealed record ChunkerOptions
{
    /// <summary>Smallest average accepted: MaskL keeps log2(avg) − 2 bits, which must stay ≥ 4.</summary>
    public const int SmallestAverage = 64;

    /// <summary>Largest chunk accepted: the streaming reader holds two of them in memory.</summary>
    public const int LargestMax = 64 << 20;

    /// <summary>min 2 KiB, average 8 KiB, max 32 KiB: measured on real package files against 2 to
    /// 64 KiB averages (docs/chunking.md, "Chunk sizes").</summary>
    public static ChunkerOptions Default { get; } = new(2 * 1024, 8 * 1024, 32 * 1024);

    public ChunkerOptions(int minSize, int averageSize, int maxSize)
    {
        if (averageSize < SmallestAverage || !BitOperations.IsPow2(averageSize))
        {
            throw new ArgumentOutOfRangeException(nameof(averageSize), averageSize,
                $"the average chunk size must be a power of two ≥ {SmallestAverage}");
        }

        if (minSize < 1 || minSize > averageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(minSize), minSize,
                $"the minimum chunk size must be in 1..{averageSize} (the average)");
        }

        if (maxSize < averageSize || maxSize > LargestMax)
        {
            throw new ArgumentOutOfRangeException(nameof(maxSize), maxSize,
                $"the maximum chunk size must be in {averageSize} (the average)..{LargestMax}");
        }

        MinSize = minSize;
        AverageSize = averageSize;
        MaxSize = maxSize;
    }

    public int MinSize { get; }

    public int AverageSize { get; }

    public int MaxSize { get; }

    public override string ToString() => $"min {MinSize}, avg {AverageSize}, max {MaxSize}";
}

using System.Numerics;
using System.Runtime.CompilerServices;

namespace VmTeleport.Content.Chunking;

/// <summary>
/// FastCDC with normalized chunking (Xia et al., USENIX ATC 2016 and IEEE TPDS 2020): a gear
/// rolling hash h = (h &lt;&lt; 1) + Gear[byte], no cut before <see cref="ChunkerOptions.MinSize"/>,
/// a stricter mask (MaskS, log2(avg) + 2 bits) up to the average size and a looser one (MaskL,
/// log2(avg) − 2 bits) after it, a forced cut at <see cref="ChunkerOptions.MaxSize"/>.
/// The exact rule, byte for byte, is in docs/chunking.md; tools/oracle/fastcdc.py implements it
/// independently and a test compares the two.
/// </summary>
public sealed class FastCdc
{
    private readonly ulong[] _gear = GearTable.Values;
    private readonly ulong _maskS;
    private readonly ulong _maskL;
    private readonly int _min;
    private readonly int _avg;
    private readonly int _max;

    /// <summary>Where a MaxSize window that is all zeros from MinSize on is cut.</summary>
    private readonly int _zeroCut;

    public FastCdc(ChunkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _min = options.MinSize;
        _avg = options.AverageSize;
        _max = options.MaxSize;
        var bits = BitOperations.Log2((uint)options.AverageSize);
        _maskS = TopBits(bits + 2);
        _maskL = TopBits(bits - 2);
        _zeroCut = Scan(new byte[_max], _max);
    }

    public ChunkerOptions Options { get; }

    /// <summary>
    /// The length of the chunk that starts at data[0]. Data shorter than MaxSize is taken as the
    /// end of the input: when no cut point is found in it, all of it is one chunk. So a caller in
    /// the middle of a stream must pass at least MaxSize bytes. Returns 0 only for empty data.
    /// </summary>
    public int NextBoundary(ReadOnlySpan<byte> data)
    {
        var n = data.Length;
        if (n <= _min)
        {
            return n;
        }

        if (n > _max)
        {
            n = _max;
        }

        // The hash starts afresh at MinSize and sees only the bytes from there: over zeros it
        // always takes the same course, so a zero run (a hole, an unused area) needs no scan.
        if (n == _max && data[_min.._zeroCut].IndexOfAnyExcept((byte)0) < 0)
        {
            return _zeroCut;
        }

        return Scan(data, n);
    }

    private int Scan(ReadOnlySpan<byte> data, int n)
    {
        var normal = Math.Min(_avg, n);
        var gear = _gear;
        ulong h = 0;
        var i = _min;

        // The hash starts fresh at MinSize: the bytes before it cannot end a chunk, and the mask's
        // top bits depend on the last 64 bytes only, so skipping them changes nothing after 64 bytes.
        for (; i < normal; i++)
        {
            h = (h << 1) + gear[data[i]];
            if ((h & _maskS) == 0)
            {
                return i + 1;
            }
        }

        for (; i < n; i++)
        {
            h = (h << 1) + gear[data[i]];
            if ((h & _maskL) == 0)
            {
                return i + 1;
            }
        }

        return n;
    }

    /// <summary>A mask of the highest <paramref name="count"/> bits: in a gear hash the high bits mix
    /// the most bytes (bit k depends on the last k + 1), so they make the best cut condition.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong TopBits(int count) => ~0UL << (64 - count);
}

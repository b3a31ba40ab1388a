namespace VmTeleport.Content.Tests.Support;

/// <summary>Deterministic test inputs: the same bytes on every machine and in tools/oracle/fastcdc.py runs.</summary>
internal static class TestBytes
{
    /// <summary>Bytes of SplitMix64 outputs (little endian) from <paramref name="seed"/>.</summary>
    public static byte[] SplitMix(ulong seed, int length)
    {
        var bytes = new byte[length];
        var state = seed;
        for (int i = 0; i < length; i += 8)
        {
            state += 0x9E37_79B9_7F4A_7C15;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9;
            z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB;
            z ^= z >> 31;
            for (int k = 0; k < 8 && i + k < length; k++)
            {
                bytes[i + k] = (byte)(z >> (8 * k));
            }
        }

        return bytes;
    }

    /// <summary>The golden input: 1 MiB of SplitMix64(seed 1) with 200 KiB of zeros from 400 KiB, so
    /// the pinned boundaries include MaxSize cuts as well as content cuts.</summary>
    public static byte[] Golden()
    {
        var bytes = SplitMix(1, 1 << 20);
        bytes.AsSpan(400 * 1024, 200 * 1024).Clear();
        return bytes;
    }

    /// <summary>Text-like input: lines drawn from a small vocabulary, so bytes repeat as in real files.</summary>
    public static byte[] Text(ulong seed, int length)
    {
        string[] words = ["the", "chunk", "boundary", "guest", "disk", "package", "usr", "lib", "x86_64", "\n", "=", "0"];
        var noise = SplitMix(seed, length);
        var bytes = new byte[length];
        int pos = 0, k = 0;
        while (pos < length)
        {
            var w = words[noise[k++ % noise.Length] % words.Length];
            for (int j = 0; j < w.Length && pos < length; j++)
            {
                bytes[pos++] = (byte)w[j];
            }

            if (pos < length)
            {
                bytes[pos++] = (byte)' ';
            }
        }

        return bytes;
    }

    /// <summary>All chunks of <paramref name="data"/> by the span API.</summary>
    public static List<(int Offset, int Length)> Boundaries(VmTeleport.Content.Chunking.FastCdc cdc, ReadOnlySpan<byte> data)
    {
        var list = new List<(int, int)>();
        var pos = 0;
        while (pos < data.Length)
        {
            var n = cdc.NextBoundary(data[pos..]);
            list.Add((pos, n));
            pos += n;
        }

        return list;
    }
}

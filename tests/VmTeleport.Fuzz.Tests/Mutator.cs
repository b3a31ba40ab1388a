namespace VmTeleport.Fuzz.Tests;

/// <summary>
/// A small deterministic mutator in the spirit of AFL's havoc stage: bit flips, interesting
/// integers at random offsets (little-endian, as the on-disk formats are; big-endian for qcow2),
/// byte runs copied within the input, and truncation. Deterministic per seed, so a failure
/// reproduces from the test's name alone.
/// </summary>
public sealed class Mutator(int seed)
{
    private static readonly long[] Interesting =
    [
        0, 1, -1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000,
        0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, long.MaxValue, long.MinValue, 512, 4096, 65536,
    ];

    private readonly Random _random = new(seed);

    public byte[] Mutate(byte[] original, int hotBytes)
    {
        var data = (byte[])original.Clone();
        int steps = 1 + _random.Next(8);
        for (int i = 0; i < steps; i++)
        {
            // Most structures sit near the start (headers, tables), so bias offsets there.
            int limit = _random.Next(4) == 0 ? data.Length : Math.Min(hotBytes, data.Length);
            if (limit == 0)
            {
                break;
            }

            int at = _random.Next(limit);
            switch (_random.Next(5))
            {
                case 0:
                    data[at] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1:
                    data[at] = (byte)_random.Next(256);
                    break;
                case 2:
                    WriteInteger(data, at, Interesting[_random.Next(Interesting.Length)], width: 1 << _random.Next(4), bigEndian: _random.Next(2) == 0);
                    break;
                case 3:
                    int from = _random.Next(data.Length);
                    int count = Math.Min(_random.Next(64), Math.Min(data.Length - from, data.Length - at));
                    Array.Copy(data, from, data, at, count);
                    break;
                default:
                    if (_random.Next(8) == 0)
                    {
                        Array.Resize(ref data, at);
                    }

                    break;
            }
        }

        return data;
    }

    private static void WriteInteger(byte[] data, int at, long value, int width, bool bigEndian)
    {
        for (int b = 0; b < width && at + b < data.Length; b++)
        {
            int shift = 8 * (bigEndian ? width - 1 - b : b);
            data[at + b] = (byte)(value >> shift);
        }
    }
}

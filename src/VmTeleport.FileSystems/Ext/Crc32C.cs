using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;

namespace VmTeleport.FileSystems.Ext;

/// <summary>
/// CRC32C (Castagnoli) as ext4's metadata_csum uses it: the kernel's crc32c_le without the
/// customary pre- and post-inversion, so callers chain it from a seed (ext4 disk layout,
/// "Checksums"). SSE4.2 when the CPU has it, a table otherwise.
/// </summary>
internal static class Crc32C
{
    private const uint Polynomial = 0x82F63B78; // reflected Castagnoli polynomial
    private static readonly uint[] Table = BuildTable();

    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported)
        {
            ulong c = crc;
            while (data.Length >= 8)
            {
                c = Sse42.X64.Crc32(c, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }

            crc = (uint)c;
        }

        if (Sse42.IsSupported)
        {
            foreach (var b in data)
            {
                crc = Sse42.Crc32(crc, b);
            }

            return crc;
        }

        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    public static uint UpdateUInt32(uint crc, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        return Update(crc, b);
    }

    public static uint UpdateUInt64(uint crc, ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        return Update(crc, b);
    }

    /// <summary>Feeds <paramref name="count"/> zero bytes (the checksum field itself while computing).</summary>
    public static uint UpdateZeros(uint crc, int count)
    {
        Span<byte> z = stackalloc byte[8];
        z.Clear();
        while (count > 0)
        {
            var n = Math.Min(count, 8);
            crc = Update(crc, z[..n]);
            count -= n;
        }

        return crc;
    }

    private static uint[] BuildTable()
    {
        var t = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            }

            t[i] = c;
        }

        return t;
    }
}

using System.Buffers.Binary;
using System.Numerics;

namespace VmTeleport.Transfer.Store;

/// <summary>
/// CRC-32C (Castagnoli, as in iSCSI and ext4 metadata): initial value 0xFFFFFFFF, final XOR
/// 0xFFFFFFFF, check value 0xE3069283 for "123456789". It guards the pack store's record headers
/// and index entries against torn writes; the chunk bytes themselves are checked by their id.
/// </summary>
internal static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;

        // The CRC32 instruction on 8 bytes consumes them in little-endian order, the same result as byte by byte.
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}

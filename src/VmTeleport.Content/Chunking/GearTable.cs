namespace VmTeleport.Content.Chunking;

/// <summary>
/// FastCDC's 256 random 64-bit values, one per byte value. They are part of the chunk format: a
/// different table gives different boundaries, so they are generated, not pasted, by a rule any
/// implementation can repeat (tools/oracle/fastcdc.py does): entry i is the (i+1)-th output of
/// SplitMix64 (Steele, Lea, Flood 2014) started from <see cref="Seed"/>.
/// </summary>
internal static class GearTable
{
    /// <summary>The ASCII bytes "VMTCDC01" read big endian.</summary>
    public const ulong Seed = 0x564D_5443_4443_3031;

    public static ulong[] Values { get; } = Generate();

    private static ulong[] Generate()
    {
        var table = new ulong[256];
        var state = Seed;
        for (int i = 0; i < table.Length; i++)
        {
            // SplitMix64: advance by the golden-ratio increment, then the three-step finalizer.
            state += 0x9E37_79B9_7F4A_7C15;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9;
            z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB;
            table[i] = z ^ (z >> 31);
        }

        return table;
    }
}

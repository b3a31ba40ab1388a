using System.Buffers.Binary;

namespace VmTeleport.Disks.Qcow2;

/// <summary>
/// The qcow2 file header (QEMU docs/interop/qcow2.txt, "Header"). Versions 2 and 3; every field is
/// big-endian. <see cref="Parse"/> checks everything a reader relies on before any allocation.
/// </summary>
internal sealed class Qcow2Header
{
    public const uint Magic = 0x514649fb; // "QFI\xfb"
    public const int V2Length = 72;
    public const int V3MinLength = 104;

    /// <summary>Incompatible feature bits (spec "Bit 0 ... Bit 4" of incompatible_features).</summary>
    public const ulong DirtyBit = 1UL << 0;
    public const ulong CorruptBit = 1UL << 1;
    public const ulong ExternalDataFileBit = 1UL << 2;
    public const ulong CompressionTypeBit = 1UL << 3;
    public const ulong ExtendedL2Bit = 1UL << 4;
    public const ulong KnownIncompatibleBits = DirtyBit | CorruptBit | ExternalDataFileBit | CompressionTypeBit | ExtendedL2Bit;

    /// <summary>Virtual sizes above 2^56 are not images anyone made (qemu caps at 2^63 - 512, offsets at 2^56).</summary>
    public const long MaxVirtualSize = 1L << 56;

    /// <summary>qemu's QCOW_MAX_L1_SIZE: 32 MiB of L1 entries.</summary>
    public const long MaxL1Bytes = 32L << 20;

    /// <summary>qemu's QCOW_MAX_SNAPSHOTS.</summary>
    public const int MaxSnapshots = 65536;

    public required int Version { get; init; }
    public required ulong BackingFileOffset { get; init; }
    public required uint BackingFileSize { get; init; }
    public required int ClusterBits { get; init; }
    public required long Size { get; init; }
    public required uint CryptMethod { get; init; }
    public required uint L1Size { get; init; }
    public required ulong L1TableOffset { get; init; }
    public required ulong RefcountTableOffset { get; init; }
    public required uint RefcountTableClusters { get; init; }
    public required uint NbSnapshots { get; init; }
    public required ulong SnapshotsOffset { get; init; }
    public required ulong IncompatibleFeatures { get; init; }
    public required int HeaderLength { get; init; }

    /// <summary>0 = zlib (raw deflate), 1 = zstd (spec "compression_type", byte 104).</summary>
    public required byte CompressionType { get; init; }

    public long ClusterSize => 1L << ClusterBits;

    public bool ExtendedL2 => (IncompatibleFeatures & ExtendedL2Bit) != 0;

    /// <summary>Bytes per L2 entry: 8, or 16 with extended L2 (spec "Extended L2 Entries").</summary>
    public int L2EntrySize => ExtendedL2 ? 16 : 8;

    public int L2Bits => ClusterBits - (ExtendedL2 ? 4 : 3);

    /// <summary>Parses and validates the fixed header; <paramref name="head"/> holds at least the first 512 bytes of the file.</summary>
    public static Qcow2Header Parse(ReadOnlySpan<byte> head, string file, long fileLength)
    {
        if (head.Length < V2Length || BinaryPrimitives.ReadUInt32BigEndian(head) != Magic)
        {
            throw new InvalidDataException($"{file}: not a qcow2 image (no QFI\\xfb magic at 0x0)");
        }

        int version = (int)BinaryPrimitives.ReadUInt32BigEndian(head[4..]);
        if (version is not (2 or 3))
        {
            throw new NotSupportedException($"{file}: qcow2 version {version} is not supported (only 2 and 3)");
        }

        uint clusterBits = BinaryPrimitives.ReadUInt32BigEndian(head[20..]);
        if (clusterBits is < 9 or > 21)
        {
            throw new InvalidDataException($"{file}: qcow2 header at 0x14: cluster_bits {clusterBits} is out of range (9..21)");
        }

        ulong size = BinaryPrimitives.ReadUInt64BigEndian(head[24..]);
        if (size > MaxVirtualSize)
        {
            throw new InvalidDataException($"{file}: qcow2 header at 0x18: virtual size 0x{size:x} is absurd (> 2^56)");
        }

        uint crypt = BinaryPrimitives.ReadUInt32BigEndian(head[32..]);
        if (crypt != 0)
        {
            string how = crypt switch { 1 => "AES", 2 => "LUKS", _ => "unknown" };
            throw new NotSupportedException($"{file}: encrypted qcow2 images are not supported (crypt_method={crypt} {how})");
        }

        ulong incompatible = 0;
        int headerLength = V2Length;
        byte compression = 0;
        if (version == 3)
        {
            if (head.Length < V3MinLength)
            {
                throw new InvalidDataException($"{file}: qcow2 v3 header at 0x0 is truncated (0x{head.Length:x} bytes < 0x{V3MinLength:x})");
            }

            incompatible = BinaryPrimitives.ReadUInt64BigEndian(head[72..]);
            uint refcountOrder = BinaryPrimitives.ReadUInt32BigEndian(head[96..]);
            if (refcountOrder > 6)
            {
                throw new InvalidDataException($"{file}: qcow2 header at 0x60: refcount_order {refcountOrder} is out of range (0..6)");
            }

            uint length = BinaryPrimitives.ReadUInt32BigEndian(head[100..]);
            if (length < V3MinLength || length > (1u << (int)clusterBits) || length > head.Length)
            {
                throw new InvalidDataException($"{file}: qcow2 header at 0x64: header_length {length} is out of range ({V3MinLength}..cluster size)");
            }

            headerLength = (int)length;
            if (headerLength > 104)
            {
                compression = head[104];
            }
        }

        var header = new Qcow2Header
        {
            Version = version,
            BackingFileOffset = BinaryPrimitives.ReadUInt64BigEndian(head[8..]),
            BackingFileSize = BinaryPrimitives.ReadUInt32BigEndian(head[16..]),
            ClusterBits = (int)clusterBits,
            Size = (long)size,
            CryptMethod = crypt,
            L1Size = BinaryPrimitives.ReadUInt32BigEndian(head[36..]),
            L1TableOffset = BinaryPrimitives.ReadUInt64BigEndian(head[40..]),
            RefcountTableOffset = BinaryPrimitives.ReadUInt64BigEndian(head[48..]),
            RefcountTableClusters = BinaryPrimitives.ReadUInt32BigEndian(head[56..]),
            NbSnapshots = BinaryPrimitives.ReadUInt32BigEndian(head[60..]),
            SnapshotsOffset = BinaryPrimitives.ReadUInt64BigEndian(head[64..]),
            IncompatibleFeatures = incompatible,
            HeaderLength = headerLength,
            CompressionType = compression,
        };
        header.Validate(file, fileLength);
        return header;
    }

    private void Validate(string file, long fileLength)
    {
        if ((IncompatibleFeatures & CorruptBit) != 0)
        {
            throw new InvalidDataException($"{file}: qcow2 header at 0x48: the image is marked corrupt (incompatible feature bit 1); run qemu-img check -r");
        }

        if (CompressionType > 1 || (CompressionType != 0 && (IncompatibleFeatures & CompressionTypeBit) == 0))
        {
            throw new NotSupportedException($"{file}: qcow2 compression_type {CompressionType} at 0x68 is not supported (0 zlib, 1 zstd)");
        }

        // L1 must cover the virtual size (spec "l1_size"); more entries are allowed (a shrunk image) but capped.
        long needed = L1EntriesFor(Size);
        if (L1Size < needed)
        {
            throw new InvalidDataException($"{file}: qcow2 header at 0x24: l1_size {L1Size} cannot map the virtual size 0x{Size:x} (needs {needed})");
        }

        CheckTable(file, fileLength, "L1 table", L1TableOffset, (long)L1Size * 8, MaxL1Bytes);
        CheckTable(file, fileLength, "refcount table", RefcountTableOffset, (long)RefcountTableClusters * ClusterSize, 1L << 40);
        if (NbSnapshots > MaxSnapshots)
        {
            throw new InvalidDataException($"{file}: qcow2 header at 0x3c: {NbSnapshots} snapshots is absurd (max {MaxSnapshots})");
        }

        if (NbSnapshots > 0)
        {
            CheckTable(file, fileLength, "snapshot table", SnapshotsOffset, 1, long.MaxValue);
        }

        if (BackingFileOffset != 0)
        {
            if (BackingFileSize is 0 or > 1023 || BackingFileOffset >= (ulong)ClusterSize || BackingFileOffset + BackingFileSize > (ulong)ClusterSize)
            {
                throw new InvalidDataException(
                    $"{file}: qcow2 header at 0x8: backing file name at 0x{BackingFileOffset:x} (0x{BackingFileSize:x} bytes) lies outside the header cluster");
            }
        }
    }

    /// <summary>Number of L1 entries that map <paramref name="virtualSize"/> bytes.</summary>
    public long L1EntriesFor(long virtualSize)
    {
        int shift = ClusterBits + L2Bits;
        return (virtualSize + (1L << shift) - 1) >> shift;
    }

    /// <summary>A cluster-aligned table that must lie inside the file, after the header cluster.</summary>
    public void CheckTable(string file, long fileLength, string what, ulong offset, long bytes, long maxBytes)
    {
        if (bytes > maxBytes)
        {
            throw new InvalidDataException($"{file}: qcow2 {what} at 0x{offset:x} is absurdly large (0x{bytes:x} bytes > 0x{maxBytes:x})");
        }

        if (bytes == 0)
        {
            return;
        }

        if ((offset & (ulong)(ClusterSize - 1)) != 0)
        {
            throw new InvalidDataException($"{file}: qcow2 {what} at 0x{offset:x} is not aligned to the cluster size 0x{ClusterSize:x}");
        }

        if (offset < (ulong)ClusterSize)
        {
            throw new InvalidDataException($"{file}: qcow2 {what} at 0x{offset:x} overlaps the header cluster");
        }

        if (offset >= (ulong)fileLength || (ulong)bytes > (ulong)fileLength - offset)
        {
            throw new InvalidDataException(
                $"{file}: qcow2 {what} at 0x{offset:x} points past the end of the file (0x{offset + (ulong)bytes:x} > 0x{fileLength:x})");
        }
    }
}

using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace VmTeleport.Disks.Qcow2;

/// <summary>
/// A qcow2 image (QEMU docs/interop/qcow2.txt), read-only: the current state or one internal
/// snapshot, over an optional backing image. Opening validates the header and the L1 table;
/// L2 tables are validated as they are loaded into a bounded cache.
/// Split by concern: this file opens, Qcow2Image.Map.cs resolves guest offsets,
/// Qcow2Image.Read.cs reads bytes, Qcow2Image.Extents.cs reports the allocation map.
/// </summary>
internal sealed partial class Qcow2Image : IBlockSource
{
    /// <summary>Bits 9-55 of L1 and standard L2 entries hold a host offset (spec "Cluster mapping").</summary>
    private const ulong OffsetMask = 0x00ff_ffff_ffff_fe00UL;

    private readonly FileStream _file;
    private readonly SafeFileHandle _handle;
    private readonly long _fileLength;
    private readonly string _fileName;
    private readonly Qcow2Header _header;
    private readonly ulong[] _l1;
    private readonly long _l1Start;
    private readonly long _l1End;
    private readonly IBlockSource? _backing;
    private readonly L2TableCache _l2Cache;
    private readonly Lock _sync = new();

    private Qcow2Image(FileStream file, string fileName, string description, Qcow2Header header, ulong[] l1, long l1Start, long l1End, long size, IBlockSource? backing)
    {
        _file = file;
        _handle = file.SafeFileHandle;
        _fileLength = RandomAccess.GetLength(_handle);
        _fileName = fileName;
        Description = description;
        _header = header;
        _l1 = l1;
        _l1Start = l1Start;
        _l1End = l1End;
        Length = size;
        _backing = backing;
        _l2Cache = new L2TableCache(header.ClusterSize);
    }

    public string Description { get; }

    public long Length { get; }

    /// <summary>The backing image this one falls through to, or null.</summary>
    internal IBlockSource? Backing => _backing;

    internal Qcow2Header Header => _header;

    /// <summary>How many L2 tables the cache holds at most.</summary>
    internal int L2CacheCapacity => _l2Cache.Capacity;

    /// <summary>
    /// Opens <paramref name="path"/>. <paramref name="openBacking"/> receives the backing file name
    /// as stored and the backing format from the header extension (or null) and returns its source.
    /// </summary>
    public static Qcow2Image Open(string path, string description, string? snapshot, Func<string, string?, IBlockSource> openBacking)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.RandomAccess);
        IBlockSource? backing = null;
        try
        {
            string name = description;
            long fileLength = RandomAccess.GetLength(file.SafeFileHandle);
            var header = ReadHeader(file.SafeFileHandle, fileLength, name, out byte[] headerCluster);
            var extensions = Qcow2HeaderExtensions.Parse(headerCluster, header.HeaderLength, name);
            CheckFeatures(header, extensions, name);

            ulong l1Offset = header.L1TableOffset;
            uint l1Size = header.L1Size;
            long size = header.Size;
            string l1What = "L1 table";
            if (snapshot is not null)
            {
                var snaps = Qcow2Snapshot.ReadTable(file.SafeFileHandle, fileLength, header.SnapshotsOffset, header.NbSnapshots, name);
                var snap = FindSnapshot(snaps, snapshot)
                    ?? throw new KeyNotFoundException(
                        $"{name}: no snapshot with id or name '{snapshot}' (snapshots: {(snaps.Count == 0 ? "none" : string.Join(", ", snaps.Select(s => $"{s.Id} {s.Name}")))})");
                l1What = $"snapshot '{snap.Name}' L1 table";
                l1Offset = snap.L1TableOffset;
                l1Size = snap.L1Size;
                size = snap.VirtualSize ?? header.Size;
                if (size > Qcow2Header.MaxVirtualSize || size < 0)
                {
                    throw new InvalidDataException($"{name}: snapshot '{snap.Name}' has an absurd virtual size 0x{size:x}");
                }

                if (l1Size < header.L1EntriesFor(size))
                {
                    throw new InvalidDataException($"{name}: snapshot '{snap.Name}' l1_size {l1Size} cannot map its virtual size 0x{size:x}");
                }

                header.CheckTable(name, fileLength, l1What, l1Offset, (long)l1Size * 8, Qcow2Header.MaxL1Bytes);
            }

            var l1 = ReadL1(file.SafeFileHandle, l1Offset, header.L1EntriesFor(size));
            if (header.BackingFileOffset != 0)
            {
                if (header.BackingFileOffset + header.BackingFileSize > (ulong)headerCluster.Length)
                {
                    throw new InvalidDataException($"{name}: qcow2 backing file name at 0x{header.BackingFileOffset:x} runs past the end of the file");
                }

                string backingName = Encoding.UTF8.GetString(headerCluster, (int)header.BackingFileOffset, (int)header.BackingFileSize);
                backing = openBacking(backingName, extensions.BackingFormatName);
            }

            string desc = snapshot is null ? description : $"{description}@{snapshot}";
            return new Qcow2Image(file, name, desc, header, l1, (long)l1Offset, (long)l1Offset + ((long)l1Size * 8), size, backing);
        }
        catch
        {
            backing?.Dispose();
            file.Dispose();
            throw;
        }
    }

    /// <summary>Lists the internal snapshots of the image at <paramref name="path"/>.</summary>
    public static IReadOnlyList<Qcow2Snapshot> ReadSnapshots(string path, string description)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.RandomAccess);
        long fileLength = RandomAccess.GetLength(file.SafeFileHandle);
        var header = ReadHeader(file.SafeFileHandle, fileLength, description, out _);
        return Qcow2Snapshot.ReadTable(file.SafeFileHandle, fileLength, header.SnapshotsOffset, header.NbSnapshots, description);
    }

    /// <summary>The backing file name as stored in the header of the qcow2 at <paramref name="path"/>, or null when it has none.</summary>
    public static string? ReadBackingName(string path, string description)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.RandomAccess);
        long fileLength = RandomAccess.GetLength(file.SafeFileHandle);
        var header = ReadHeader(file.SafeFileHandle, fileLength, description, out byte[] headerCluster);
        if (header.BackingFileOffset == 0)
        {
            return null;
        }

        if (header.BackingFileOffset + header.BackingFileSize > (ulong)headerCluster.Length)
        {
            throw new InvalidDataException($"{description}: qcow2 backing file name at 0x{header.BackingFileOffset:x} runs past the end of the file");
        }

        return Encoding.UTF8.GetString(headerCluster, (int)header.BackingFileOffset, (int)header.BackingFileSize);
    }

    private static Qcow2Snapshot? FindSnapshot(IReadOnlyList<Qcow2Snapshot> snaps, string wanted) =>
        // qemu looks a snapshot up by id first, then by name (qcow2_snapshot_load_tmp / find_snapshot_by_id_or_name).
        snaps.FirstOrDefault(s => s.Id == wanted) ?? snaps.FirstOrDefault(s => s.Name == wanted);

    private static Qcow2Header ReadHeader(SafeFileHandle handle, long fileLength, string name, out byte[] headerCluster)
    {
        if (fileLength < Qcow2Header.V2Length)
        {
            throw new InvalidDataException($"{name}: qcow2 header at 0x0 is truncated (file is 0x{fileLength:x} bytes)");
        }

        Span<byte> first = stackalloc byte[Qcow2Header.V2Length];
        HostFile.ReadFully(handle, 0, first);
        uint clusterBits = BinaryPrimitives.ReadUInt32BigEndian(first[20..]);
        long want = clusterBits is >= 9 and <= 21 ? 1L << (int)clusterBits : 512;
        headerCluster = new byte[Math.Min(want, fileLength)];
        HostFile.ReadFully(handle, 0, headerCluster);
        return Qcow2Header.Parse(headerCluster, name, fileLength);
    }

    private static void CheckFeatures(Qcow2Header header, Qcow2HeaderExtensions extensions, string name)
    {
        ulong bits = header.IncompatibleFeatures;
        if ((bits & Qcow2Header.ExternalDataFileBit) != 0)
        {
            throw new NotSupportedException(
                $"{name}: qcow2 images with an external data file ('{extensions.ExternalDataFileName ?? "?"}', incompatible feature bit 2) are not supported");
        }

        ulong unknown = bits & ~Qcow2Header.KnownIncompatibleBits;
        if (unknown != 0)
        {
            int bit = System.Numerics.BitOperations.TrailingZeroCount(unknown);
            string label = extensions.IncompatibleFeatureNames.TryGetValue(bit, out var n) ? $" '{n}'" : string.Empty;
            throw new NotSupportedException($"{name}: qcow2 incompatible feature bit {bit}{label} is not supported");
        }
    }

    private static ulong[] ReadL1(SafeFileHandle handle, ulong offset, long entries)
    {
        // entries is bounded by MaxL1Bytes / 8 through the header checks.
        var bytes = new byte[entries * 8];
        HostFile.ReadFully(handle, (long)offset, bytes);
        var l1 = new ulong[entries];
        for (long i = 0; i < entries; i++)
        {
            l1[i] = BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan((int)(i * 8)));
        }

        return l1;
    }

    public void Dispose()
    {
        lock (_sync)
        {
            _zstd?.Dispose();
            _zstd = null;
        }

        _backing?.Dispose();
        _file.Dispose();
    }
}

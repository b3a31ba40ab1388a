using System.Buffers.Binary;

namespace VmTeleport.Disks.Qcow2;

/// <summary>Guest offset to host offset: the L1/L2 walk (spec "Cluster mapping", "Extended L2 Entries").</summary>
internal sealed partial class Qcow2Image
{
    private const ulong CompressedFlag = 1UL << 62;
    private const ulong ZeroFlag = 1UL;
    private const int Subclusters = 32;

    /// <summary>
    /// The mapping of the guest bytes starting at <paramref name="offset"/>, at most
    /// <paramref name="max"/> long and never crossing a cluster (or subcluster) boundary, except
    /// that a missing L2 table yields its whole unallocated range at once.
    /// </summary>
    private Qcow2Mapping Map(long offset, long max)
    {
        int clusterBits = _header.ClusterBits;
        int l2Bits = _header.L2Bits;
        long clusterSize = _header.ClusterSize;
        long l1Index = offset >> (clusterBits + l2Bits);
        ulong l2Offset = _l1[l1Index] & OffsetMask;
        if (l2Offset == 0)
        {
            long rangeEnd = (l1Index + 1) << (clusterBits + l2Bits);
            return new Qcow2Mapping(Qcow2MappingKind.Unallocated, Math.Min(rangeEnd - offset, max), 0, 0);
        }

        ulong[] table = GetL2Table(l2Offset, l1Index);
        long l2Index = (offset >> clusterBits) & ((1L << l2Bits) - 1);
        long inCluster = offset & (clusterSize - 1);
        long toClusterEnd = Math.Min(clusterSize - inCluster, max);
        bool extended = _header.ExtendedL2;
        ulong entry = extended ? table[l2Index * 2] : table[l2Index];
        if ((entry & CompressedFlag) != 0)
        {
            return new Qcow2Mapping(Qcow2MappingKind.Compressed, toClusterEnd, 0, entry);
        }

        long host = (long)(entry & OffsetMask);
        if (!extended)
        {
            // The zero flag exists from version 3 on; in version 2 bit 0 is reserved.
            if (_header.Version >= 3 && (entry & ZeroFlag) != 0)
            {
                return new Qcow2Mapping(Qcow2MappingKind.Zero, toClusterEnd, 0, 0);
            }

            if (host == 0)
            {
                return new Qcow2Mapping(Qcow2MappingKind.Unallocated, toClusterEnd, 0, 0);
            }

            CheckDataCluster(host, offset - inCluster);
            return new Qcow2Mapping(Qcow2MappingKind.Data, toClusterEnd, host + inCluster, 0);
        }

        return MapSubclusters(offset, max, inCluster, host, table[(l2Index * 2) + 1]);
    }

    /// <summary>Extended L2: bits 0-31 say "allocated", bits 32-63 say "reads as zeros", one bit per subcluster.</summary>
    private Qcow2Mapping MapSubclusters(long offset, long max, long inCluster, long host, ulong bitmap)
    {
        long clusterSize = _header.ClusterSize;
        long subclusterSize = clusterSize / Subclusters;
        int first = (int)(inCluster / subclusterSize);
        var kind = SubclusterKind(bitmap, first, offset);
        int last = first;
        while (last + 1 < Subclusters && SubclusterKind(bitmap, last + 1, offset) == kind)
        {
            last++;
        }

        long length = Math.Min(((last + 1) * subclusterSize) - inCluster, max);
        if (kind != Qcow2MappingKind.Data)
        {
            return new Qcow2Mapping(kind, length, 0, 0);
        }

        if (host == 0)
        {
            throw new InvalidDataException(
                $"{_fileName}: qcow2 extended L2 entry for guest offset 0x{offset:x} marks subclusters allocated but has no host cluster");
        }

        CheckDataCluster(host, offset - inCluster);
        return new Qcow2Mapping(Qcow2MappingKind.Data, length, host + inCluster, 0);
    }

    private Qcow2MappingKind SubclusterKind(ulong bitmap, int index, long offset)
    {
        bool allocated = ((bitmap >> index) & 1) != 0;
        bool zero = ((bitmap >> (32 + index)) & 1) != 0;
        if (allocated && zero)
        {
            throw new InvalidDataException(
                $"{_fileName}: qcow2 extended L2 entry for guest offset 0x{offset:x}: subcluster {index} is marked both allocated and zero");
        }

        return zero ? Qcow2MappingKind.Zero : allocated ? Qcow2MappingKind.Data : Qcow2MappingKind.Unallocated;
    }

    /// <summary>A data cluster must be aligned, inside the file, and clear of the header and the L1 table.</summary>
    private void CheckDataCluster(long host, long guestCluster)
    {
        long clusterSize = _header.ClusterSize;
        if ((host & (clusterSize - 1)) != 0)
        {
            throw new InvalidDataException(
                $"{_fileName}: qcow2 L2 entry for guest offset 0x{guestCluster:x} points to a misaligned data cluster at 0x{host:x}");
        }

        if (host >= _fileLength)
        {
            throw new InvalidDataException(
                $"{_fileName}: qcow2 L2 entry for guest offset 0x{guestCluster:x} points past the end of the file (0x{host:x} >= 0x{_fileLength:x})");
        }

        if (host < clusterSize || (host < _l1End && host + clusterSize > _l1Start))
        {
            throw new InvalidDataException(
                $"{_fileName}: qcow2 L2 entry for guest offset 0x{guestCluster:x} points into metadata (data cluster at 0x{host:x} overlaps the header or the L1 table)");
        }
    }

    private ulong[] GetL2Table(ulong l2Offset, long l1Index)
    {
        lock (_sync)
        {
            if (_l2Cache.TryGet(l2Offset, out var cached))
            {
                return cached;
            }
        }

        long clusterSize = _header.ClusterSize;
        long at = (long)l2Offset;
        if ((at & (clusterSize - 1)) != 0)
        {
            throw new InvalidDataException($"{_fileName}: qcow2 L1 entry {l1Index} points to a misaligned L2 table at 0x{at:x}");
        }

        if (at >= _fileLength || clusterSize > _fileLength - at)
        {
            throw new InvalidDataException(
                $"{_fileName}: qcow2 L1 entry {l1Index}: L2 table at 0x{at:x} points past the end of the file (0x{at + clusterSize:x} > 0x{_fileLength:x})");
        }

        if (at < clusterSize || (at < _l1End && at + clusterSize > _l1Start))
        {
            throw new InvalidDataException(
                $"{_fileName}: qcow2 L1 entry {l1Index}: L2 table at 0x{at:x} overlaps the header or the L1 table");
        }

        var bytes = new byte[clusterSize];
        HostFile.ReadFully(_handle, at, bytes);
        var table = new ulong[clusterSize / 8];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(i * 8));
        }

        lock (_sync)
        {
            _l2Cache.Add(l2Offset, table);
        }

        return table;
    }
}

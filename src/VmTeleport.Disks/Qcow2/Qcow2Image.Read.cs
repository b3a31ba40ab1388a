using System.IO.Compression;
using ZstdSharp;

namespace VmTeleport.Disks.Qcow2;

/// <summary>Reading guest bytes: contiguous host runs in one call, compressed clusters, backing fall-through.</summary>
internal sealed partial class Qcow2Image
{
    private ulong _lastCompressed = ulong.MaxValue;
    private byte[]? _lastCluster;
    private Decompressor? _zstd;

    public void ReadAt(long offset, Span<byte> buffer)
    {
        BlockSourceGuard.CheckRange(this, offset, buffer.Length);
        int pos = 0;
        while (pos < buffer.Length)
        {
            long at = offset + pos;
            int remaining = buffer.Length - pos;
            var m = Map(at, remaining);
            int run = (int)m.Length;
            switch (m.Kind)
            {
                case Qcow2MappingKind.Data:
                    // Extend the run while the next clusters follow on the host too: one read call.
                    while (run < remaining)
                    {
                        var next = Map(at + run, remaining - run);
                        if (next.Kind != Qcow2MappingKind.Data || next.HostOffset != m.HostOffset + run)
                        {
                            break;
                        }

                        run += (int)next.Length;
                    }

                    HostFile.ReadFully(_handle, m.HostOffset, buffer.Slice(pos, run));
                    break;
                case Qcow2MappingKind.Zero:
                    buffer.Slice(pos, run).Clear();
                    break;
                case Qcow2MappingKind.Unallocated:
                    while (run < remaining)
                    {
                        var next = Map(at + run, remaining - run);
                        if (next.Kind != Qcow2MappingKind.Unallocated)
                        {
                            break;
                        }

                        run += (int)next.Length;
                    }

                    ReadBacking(at, buffer.Slice(pos, run));
                    break;
                case Qcow2MappingKind.Compressed:
                    long inCluster = at & (_header.ClusterSize - 1);
                    lock (_sync)
                    {
                        var cluster = Decompress(m.Descriptor, at - inCluster);
                        cluster.AsSpan((int)inCluster, run).CopyTo(buffer.Slice(pos, run));
                    }

                    break;
            }

            pos += run;
        }
    }

    /// <summary>Unallocated here: the backing image's bytes, zeros where it has none (qemu reads past a shorter backing as zeros).</summary>
    private void ReadBacking(long offset, Span<byte> buffer)
    {
        long available = _backing is null ? 0 : Math.Clamp(_backing.Length - offset, 0, buffer.Length);
        if (available > 0)
        {
            _backing!.ReadAt(offset, buffer[..(int)available]);
        }

        buffer[(int)available..].Clear();
    }

    /// <summary>
    /// Decodes a compressed cluster descriptor (spec "Compressed Clusters Descriptor"): with
    /// x = 62 - (cluster_bits - 8), bits 0..x-1 are the host offset and bits x..61 the number of
    /// additional 512-byte sectors. Called under the lock; the last cluster is kept for sequential reads.
    /// </summary>
    private byte[] Decompress(ulong descriptor, long guestCluster)
    {
        if (descriptor == _lastCompressed && _lastCluster is not null)
        {
            return _lastCluster;
        }

        int clusterBits = _header.ClusterBits;
        int x = 62 - (clusterBits - 8);
        long host = (long)(descriptor & ((1UL << x) - 1));
        long sectors = (long)((descriptor >> x) & ((1UL << (clusterBits - 8)) - 1)) + 1;
        long size = (sectors * 512) - (host & 511);
        if (host >= _fileLength)
        {
            throw new InvalidDataException(
                $"{_fileName}: qcow2 compressed cluster for guest offset 0x{guestCluster:x} points past the end of the file (0x{host:x} >= 0x{_fileLength:x})");
        }

        if (host < _header.ClusterSize || size <= 0)
        {
            throw new InvalidDataException(
                $"{_fileName}: qcow2 compressed cluster for guest offset 0x{guestCluster:x} at 0x{host:x} (0x{size:x} bytes) is out of range");
        }

        // The last compressed cluster of a file may end before its last sector does.
        size = Math.Min(size, _fileLength - host);
        var compressed = new byte[size];
        HostFile.ReadFully(_handle, host, compressed);
        // The buffer is reused: forget what it held until it holds the new cluster in full.
        _lastCompressed = ulong.MaxValue;
        var cluster = _lastCluster ?? new byte[_header.ClusterSize];
        int got;
        try
        {
            if (_header.CompressionType == 0)
            {
                // qemu writes raw deflate (deflateInit2 with window bits -12), no zlib header.
                using var input = new MemoryStream(compressed, writable: false);
                using var decoder = new DeflateStream(input, CompressionMode.Decompress);
                got = decoder.ReadAtLeast(cluster, cluster.Length, throwOnEndOfStream: false);
            }
            else
            {
                got = UnwrapZstd(compressed, cluster);
            }
        }
        catch (Exception e) when (e is InvalidDataException or ZstdException or IOException)
        {
            throw new InvalidDataException(
                $"{_fileName}: qcow2 compressed cluster for guest offset 0x{guestCluster:x} at 0x{host:x} does not decompress: {e.Message}", e);
        }

        if (got < cluster.Length)
        {
            throw new InvalidDataException(
                $"{_fileName}: qcow2 compressed cluster for guest offset 0x{guestCluster:x} at 0x{host:x} decompresses to 0x{got:x} bytes, not 0x{cluster.Length:x}");
        }

        _lastCluster = cluster;
        _lastCompressed = descriptor;
        return cluster;
    }

    /// <summary>
    /// One zstd frame into one cluster with a decoder kept for the image's lifetime (creating one per
    /// cluster costs more than decoding). Streaming stops when the cluster is full: the bytes after
    /// the frame, up to the sector's end, belong to whatever qemu wrote next.
    /// </summary>
    private int UnwrapZstd(byte[] compressed, byte[] cluster)
    {
        _zstd ??= new Decompressor();
        _zstd.ResetStream();
        int inPos = 0;
        int outPos = 0;
        while (outPos < cluster.Length)
        {
            var status = _zstd.UnwrapStream(compressed.AsSpan(inPos), cluster.AsSpan(outPos), out int consumed, out int written);
            inPos += consumed;
            outPos += written;
            if (status == System.Buffers.OperationStatus.InvalidData)
            {
                throw new InvalidDataException("invalid zstd data");
            }

            if (consumed == 0 && written == 0)
            {
                break;
            }
        }

        return outPos;
    }
}

using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using VmTeleport.Disks;

namespace VmTeleport.Content.Index;

/// <summary>
/// What decides, without reading any content, that a source is the one already indexed: the
/// file's size and mtime, and for qcow2 images the internal snapshot table (a snapshot taken or
/// deleted changes the image's sources even when qemu restores the mtime). A snapshot's own
/// fingerprint is its table entry: its content cannot change while the entry exists.
/// </summary>
internal static class SourceFingerprint
{
    /// <summary>"QFI\xfb", the first four bytes of every qcow2 image.</summary>
    public const uint Qcow2Magic = 0x514649fb;

    public static (long Size, long MtimeNs) Stat(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"{path}: no such file", path);
        }

        return (info.Length, (info.LastWriteTimeUtc - DateTime.UnixEpoch).Ticks * 100);
    }

    public static string OfFile(string format, long size, long mtimeNs) =>
        string.Create(CultureInfo.InvariantCulture, $"{format} size={size} mtime_ns={mtimeNs}");

    public static string OfImage(string format, long size, long mtimeNs, IReadOnlyList<DiskSnapshot> snapshots)
    {
        var sb = new StringBuilder(OfFile(format, size, mtimeNs));
        foreach (var s in snapshots)
        {
            sb.Append(';').Append(OfSnapshot(s));
        }

        return sb.ToString();
    }

    public static string OfSnapshot(DiskSnapshot s) =>
        string.Create(CultureInfo.InvariantCulture,
            $"snapshot id={s.Id} name={Uri.EscapeDataString(s.Name)} date={s.Date.ToUnixTimeMilliseconds()} vsize={s.VirtualSize}");

    /// <summary>The backing file a qcow2 image names, resolved as qemu does (relative to the image's directory), or null.</summary>
    public static string? BackingFileOf(string path)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        // qcow2 header (docs/interop/qcow2.txt): magic at 0, backing_file_offset at 8 (u64),
        // backing_file_size at 16 (u32), all big-endian; the name itself is not NUL-terminated.
        Span<byte> head = stackalloc byte[20];
        if (RandomAccess.Read(f.SafeFileHandle, head, 0) < 20 || BinaryPrimitives.ReadUInt32BigEndian(head) != Qcow2Magic)
        {
            return null;
        }

        ulong offset = BinaryPrimitives.ReadUInt64BigEndian(head[8..]);
        uint length = BinaryPrimitives.ReadUInt32BigEndian(head[16..]);
        if (offset == 0 || length == 0)
        {
            return null;
        }

        if (length > 1023 || offset + length > (ulong)f.Length)
        {
            throw new InvalidDataException($"{path}: qcow2 header at 0x8: backing file name at 0x{offset:x} ({length} bytes) lies outside the image or is longer than 1023 bytes");
        }

        var name = new byte[length];
        RandomAccess.Read(f.SafeFileHandle, name, (long)offset);
        var backing = Encoding.UTF8.GetString(name);
        return Path.IsPathRooted(backing) ? backing : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", backing);
    }
}

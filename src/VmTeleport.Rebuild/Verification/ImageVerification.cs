using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using VmTeleport.Content.Layout;
using VmTeleport.Disks;
using VmTeleport.FileSystems;
using VmTeleport.Guests.Volumes;

namespace VmTeleport.Rebuild.Verification;

/// <summary>
/// `vmteleport verify`: compares a source and a target, each a disk image (PATH[@SNAP]) or a
/// manifest / tree --jsonl file. Two images: the virtual size, the partition table, every ext
/// volume entry by entry (all tree-format fields, hard links by path) and the bytes outside the
/// ext volumes (1 MiB windows of non-zero 4 KiB blocks). An image and a manifest: the image's
/// merged guest view against the manifest's lines. Two manifests: line against line.
/// </summary>
public static class ImageVerification
{
    private const int Window = 1 << 20;

    /// <param name="scope">For a functional copy: the differences it may have (reported apart, see <see cref="ComparisonReport.Functional"/>).</param>
    public static ComparisonReport Compare(string source, string target, int threads, int cap = 100, FunctionalScope? scope = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var log = new DifferenceLog(cap);
        var explained = new DifferenceLog(cap);
        var add = log.Sink(scope, explained);
        long compared = 0;

        bool sourceIsList = IsEntryList(source), targetIsList = IsEntryList(target);
        string mode;
        if (!sourceIsList && !targetIsList)
        {
            mode = "images";
            using var a = DiskImage.Open(source);
            using var b = DiskImage.Open(target);
            if (a.Length != b.Length)
            {
                log.Add(new Difference("disk", "", "virtual_size", Num(a.Length), Num(b.Length)));
            }

            ComparePartitions(PartitionTable.Read(a), PartitionTable.Read(b), log.Add);
            var va = DiskLayout.ExtVolumeNumbers(a).ToList();
            var vb = DiskLayout.ExtVolumeNumbers(b).ToList();
            foreach (var n in va.Union(vb).Order())
            {
                var where = $"volume {n}";
                if (!va.Contains(n) || !vb.Contains(n))
                {
                    log.Add(new Difference(where, "", "filesystem", va.Contains(n) ? "\"ext\"" : null, vb.Contains(n) ? "\"ext\"" : null));
                    continue;
                }

                using var fa = FileSystemProbe.Open(DiskLayout.VolumeSource(a, n));
                using var fb = FileSystemProbe.Open(DiskLayout.VolumeSource(b, n));
                compared += CompareEntries(where, EntrySet.FromFileSystem(fa, threads), EntrySet.FromFileSystem(fb, threads), add);
            }

            var ra = RawWindows(a, va);
            var rb = RawWindows(b, vb);
            foreach (var w in ra.Keys.Union(rb.Keys).Order())
            {
                var ha = ra.GetValueOrDefault(w);
                var hb = rb.GetValueOrDefault(w);
                if (ha != hb)
                {
                    log.Add(new Difference("disk", $"0x{w:x}+0x{Window:x}", "raw", ha is null ? null : $"\"{ha}\"", hb is null ? null : $"\"{hb}\""));
                }
            }
        }
        else
        {
            mode = sourceIsList && targetIsList ? "manifests" : "image and manifest";
            compared += CompareEntries("guest", LoadGuest(source, threads), LoadGuest(target, threads), add);
        }

        return log.Report(mode, compared, scope, explained);
    }

    /// <summary>A manifest or tree --jsonl file starts with '{'; a disk image does not.</summary>
    public static bool IsEntryList(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!File.Exists(spec))
        {
            return false; // PATH@SNAP, or missing: DiskImage.Open says which
        }

        using var f = File.OpenRead(spec);
        return f.ReadByte() == '{';
    }

    private static EntrySet LoadGuest(string spec, int threads)
    {
        if (IsEntryList(spec))
        {
            return EntrySet.FromLines(File.ReadLines(spec), spec);
        }

        using var disk = DiskImage.Open(spec);
        using var guest = GuestDisk.Open(disk);
        var view = guest.Guest ?? throw new InvalidDataException($"{spec}: no guest root filesystem found to compare with a manifest");
        return EntrySet.FromFileSystem(view, threads);
    }

    /// <summary>Entry keys are the tree line's raw JSON path; differences name the path itself.</summary>
    private static string PlainPath(string raw) =>
        raw.StartsWith('"') ? System.Text.Json.JsonSerializer.Deserialize<string>(raw) ?? raw : raw;

    internal static long CompareEntries(string scope, EntrySet a, EntrySet b, Action<Difference> add)
    {
        foreach (var (path, fa) in a.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!b.Entries.TryGetValue(path, out var fb))
            {
                add(new Difference(scope, PlainPath(path), "missing", fa["type"], null));
                continue;
            }

            foreach (var key in fa.Keys.Union(fb.Keys).Order(StringComparer.Ordinal))
            {
                var x = fa.GetValueOrDefault(key);
                var y = fb.GetValueOrDefault(key);
                if (x != y)
                {
                    add(new Difference(scope, PlainPath(path), key, x, y));
                }
            }
        }

        foreach (var (path, fb) in b.Entries.Where(e => !a.Entries.ContainsKey(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            add(new Difference(scope, PlainPath(path), "extra", null, fb["type"]));
        }

        return a.Entries.Count;
    }

    private static void ComparePartitions(PartitionTable a, PartitionTable b, Action<Difference> add)
    {
        if (a.Scheme != b.Scheme || a.DiskGuid != b.DiskGuid || a.MbrSignature != b.MbrSignature)
        {
            add(new Difference("disk", "", "partition_table",
                JsonSerializer.Serialize($"{a.Scheme} {a.DiskGuid} {a.MbrSignature}"), JsonSerializer.Serialize($"{b.Scheme} {b.DiskGuid} {b.MbrSignature}")));
        }

        var pa = a.Partitions.ToDictionary(p => p.Number);
        var pb = b.Partitions.ToDictionary(p => p.Number);
        foreach (var n in pa.Keys.Union(pb.Keys).Order())
        {
            var x = pa.GetValueOrDefault(n);
            var y = pb.GetValueOrDefault(n);
            if (x != y)
            {
                add(new Difference("disk", $"partition {n}", "partition",
                    x is null ? null : JsonSerializer.Serialize(x.ToString()), y is null ? null : JsonSerializer.Serialize(y.ToString())));
            }
        }
    }

    /// <summary>SHA-256 of each 1 MiB window's non-zero 4 KiB blocks (with their offsets) outside the ext volumes.</summary>
    private static Dictionary<long, string> RawWindows(IBlockSource disk, IReadOnlyList<int> extVolumes)
    {
        var skip = extVolumes.Select(n => DiskLayout.VolumeExtent(disk, n)).ToList();
        var result = new Dictionary<long, string>();
        var buffer = new byte[Window];
        Span<byte> at = stackalloc byte[8];
        // Windows touched by data extents, each read whole (unallocated reads as zeros), so two
        // images whose allocation maps differ but whose bytes agree hash alike.
        var windows = new SortedSet<long>();
        foreach (var e in disk.GetExtents(0, disk.Length).Where(e => e.Kind == ExtentKind.Data))
        {
            for (long w = e.Offset / Window * Window; w < e.Offset + e.Length; w += Window)
            {
                windows.Add(w);
            }
        }

        foreach (var w in windows)
        {
            var span = buffer.AsSpan(0, (int)Math.Min(Window, disk.Length - w));
            disk.ReadAt(w, span);
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            bool any = false;
            for (int i = 0; i < span.Length; i += 4096)
            {
                long offset = w + i;
                var block = span.Slice(i, Math.Min(4096, span.Length - i));
                if (skip.Any(s => offset >= s.Offset && offset < s.Offset + s.Length) || !block.ContainsAnyExcept((byte)0))
                {
                    continue;
                }

                System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(at, offset);
                sha.AppendData(at);
                sha.AppendData(block);
                any = true;
            }

            if (any)
            {
                result[w] = Convert.ToHexStringLower(sha.GetHashAndReset());
            }
        }

        return result;
    }

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
}

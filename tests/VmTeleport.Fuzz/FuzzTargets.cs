using VmTeleport.Disks;
using VmTeleport.FileSystems;
using VmTeleport.Guests;
using VmTeleport.Guests.Classes;
using VmTeleport.Guests.Dpkg;
using VmTeleport.Guests.Os;
using VmTeleport.Guests.Volumes;

namespace VmTeleport.Fuzz;

/// <summary>
/// The fuzz targets. Each takes one input and may fail only with the documented exceptions for
/// bad input (<see cref="IsDocumented"/>). Anything else — another exception, a hang, a huge
/// allocation — is a bug. Run under AFL with tools/fuzz.sh; the same targets run over their
/// corpus as unit tests.
/// </summary>
public static class FuzzTargets
{
    /// <summary>
    /// Corrupt input (<see cref="InvalidDataException"/>), a feature we do not read
    /// (<see cref="NotSupportedException"/>), or a qcow2 naming a backing file that does not
    /// exist (<see cref="FileNotFoundException"/>) or a snapshot it lacks (<see cref="KeyNotFoundException"/>).
    /// </summary>
    public static bool IsDocumented(Exception e) =>
        e is InvalidDataException or NotSupportedException or FileNotFoundException or KeyNotFoundException;

    /// <summary>Work caps that keep one execution short even when the input describes a huge disk.</summary>
    private const long MaxBytesRead = 8 << 20;

    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>
    {
        ["qcow2"] = Qcow2,
        ["partitions"] = Partitions,
        ["ext4"] = Ext4,
        ["guest-text"] = GuestText,
        ["guest"] = Guest,
    };

    /// <summary>
    /// The guest's text formats on the same input: dpkg control paragraphs (status file),
    /// os-release, fstab, and class policy files.
    /// </summary>
    public static void GuestText(byte[] input)
    {
        var text = System.Text.Encoding.UTF8.GetString(input);
        var problems = new List<string>();
        foreach (var p in ControlFile.Parse(new StringReader(text), "fuzz input", problems))
        {
            _ = p["Package"];
        }

        _ = OsRelease.Parse(text, "fuzz input", problems);
        _ = Fstab.Parse(text, problems);
        try
        {
            _ = ClassPolicy.WithOverrides(text, "fuzz input").IsEphemeral("/tmp/x");
        }
        catch (InvalidDataException)
        {
            // Most inputs are not policy files; refusing them is the documented answer, and the
            // other parsers above must still have run without failing.
        }
    }

    /// <summary>A whole guest on an ext4 image: volumes, OS, dpkg database, classes of every entry.</summary>
    public static void Guest(byte[] input)
    {
        using var disk = new MemoryBlockSource(input, "fuzz input");
        var source = new DescribedImage { Image = "fuzz input", Format = "raw", VirtualSize = input.Length, AllocatedBytes = input.Length };
        _ = GuestInspector.Inspect(disk, source, new InspectOptions { Threads = 1 });
    }

    /// <summary>qcow2 header, L1/L2 tables, snapshot table, compressed clusters: open, map, read.</summary>
    public static void Qcow2(byte[] input)
    {
        // The qcow2 reader opens files (it resolves backing files relative to them), so the input
        // goes to a private file in memory-backed /dev/shm when it exists.
        var dir = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        var path = Path.Combine(dir, $"vmt-fuzz-{Environment.ProcessId}-{Environment.CurrentManagedThreadId}.qcow2");
        File.WriteAllBytes(path, input);
        try
        {
            using var disk = DiskImage.Open(path);
            ReadAllocated(disk);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>MBR (with EBR chains) and GPT (headers, entries, CRCs).</summary>
    public static void Partitions(byte[] input)
    {
        using var disk = new MemoryBlockSource(input, "fuzz input");
        var table = PartitionTable.Read(disk);
        foreach (var p in table.Partitions)
        {
            _ = new BlockSlice(disk, p.Offset, p.Length, $"partition {p.Number}");
        }
    }

    /// <summary>ext2/3/4 superblock, group descriptors, inodes, extent trees, directories, xattrs.</summary>
    public static void Ext4(byte[] input)
    {
        using var source = new MemoryBlockSource(input, "fuzz input");
        if (FileSystemProbe.Detect(source) is null)
        {
            return;
        }

        using var fs = FileSystemProbe.Open(source);
        long budget = MaxBytesRead;
        var buffer = new byte[64 * 1024];
        int entries = 0;
        foreach (var e in fs.Walk())
        {
            if (++entries > 100_000)
            {
                break;
            }

            if (e.Type == EntryType.File && budget > 0)
            {
                _ = fs.GetDataRanges(e).Count();
                using var content = fs.OpenRead(e);
                int n;
                while (budget > 0 && (n = content.Read(buffer, 0, buffer.Length)) > 0)
                {
                    budget -= n;
                }
            }
        }
    }

    private static void ReadAllocated(IBlockSource disk)
    {
        long budget = MaxBytesRead;
        var buffer = new byte[64 * 1024];
        int extents = 0;
        foreach (var e in disk.GetExtents(0, disk.Length))
        {
            if (++extents > 100_000 || budget <= 0)
            {
                break;
            }

            if (e.Kind != ExtentKind.Data)
            {
                continue;
            }

            int n = (int)Math.Min(Math.Min(e.Length, buffer.Length), budget);
            disk.ReadAt(e.Offset, buffer.AsSpan(0, n));
            budget -= n;
        }
    }
}

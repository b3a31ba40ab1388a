using System.Globalization;
using System.Text;
using VmTeleport.FileSystems;

namespace VmTeleport.Rebuild;

/// <summary>
/// What <c>mkfs.ext4 -d</c> does not carry over, found by comparing each source entry with the
/// same entry of the freshly made filesystem, written as a <c>debugfs -w</c> script that
/// addresses inodes by number (<c>sif &lt;N&gt; field value</c>), so no guest name is ever parsed
/// by debugfs: nanoseconds and epoch bits of atime, mtime, ctime and crtime (raw
/// <c>*_extra</c> values, ext4 "Inode Timestamps"), the root directory's mode, owner and times,
/// user-settable inode flags (immutable, append-only, nodump, noatime, …) and xattrs that differ.
/// </summary>
public static class InodeFixups
{
    /// <summary>FS_SECRM|UNRM|COMPR|SYNC|IMMUTABLE|APPEND|NODUMP|NOATIME|NOTAIL|DIRSYNC|TOPDIR|PROJINHERIT: flags a user sets, not layout flags.</summary>
    public const uint UserFlags = 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x20 | 0x40 | 0x80 | 0x8000 | 0x10000 | 0x20000 | 0x20000000;

    /// <summary>The script lines; <paramref name="xattrFile"/> names a file for a value (ea_set -f), called once per value.</summary>
    public static IReadOnlyList<string> Script(
        IReadOnlyList<FileSystemEntry> source, IReadOnlyDictionary<string, FileSystemEntry> rebuilt, bool extraTimes, Func<byte[], string> xattrFile)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(rebuilt);
        ArgumentNullException.ThrowIfNull(xattrFile);
        var lines = new List<string>();
        var done = new HashSet<ulong>();
        foreach (var s in source)
        {
            if (!done.Add(s.Inode))
            {
                continue; // another name of an inode already fixed
            }

            if (!rebuilt.TryGetValue(s.Path, out var r))
            {
                throw new InvalidDataException($"rebuild: {s.Path} is missing from the filesystem mkfs made");
            }

            string ino = "<" + r.Inode.ToString(CultureInfo.InvariantCulture) + ">";
            if (r.Mode != s.Mode)
            {
                lines.Add($"sif {ino} mode 0{Convert.ToString(TypeBits(s.Type) | s.Mode, 8)}");
            }

            if (r.Uid != s.Uid)
            {
                lines.Add($"sif {ino} uid {s.Uid}");
            }

            if (r.Gid != s.Gid)
            {
                lines.Add($"sif {ino} gid {s.Gid}");
            }

            Time(lines, ino, "atime", s.AtimeNs, r.AtimeNs, extraTimes);
            Time(lines, ino, "mtime", s.MtimeNs, r.MtimeNs, extraTimes);
            Time(lines, ino, "ctime", s.CtimeNs, r.CtimeNs, extraTimes);
            if (s.BirthTimeNs is long sb && r.BirthTimeNs is long rb && extraTimes)
            {
                Time(lines, ino, "crtime", sb, rb, extraTimes);
            }

            uint flags = (r.Flags & ~UserFlags) | (s.Flags & UserFlags);
            if (flags != r.Flags)
            {
                lines.Add($"sif {ino} flags 0x{flags:x}");
            }

            var want = s.ExtendedAttributes.ToDictionary(x => x.Name, x => x.Value, StringComparer.Ordinal);
            var have = r.ExtendedAttributes.ToDictionary(x => x.Name, x => x.Value, StringComparer.Ordinal);
            foreach (var name in have.Keys.Where(n => !want.ContainsKey(n)))
            {
                lines.Add($"ea_rm {ino} {name}");
            }

            foreach (var (name, value) in want.Where(w => !have.TryGetValue(w.Key, out var v) || !v.AsSpan().SequenceEqual(w.Value)))
            {
                if (name.Any(c => c <= ' ' || c > '~'))
                {
                    throw new NotSupportedException($"rebuild: xattr name {name} of {s.Path} cannot be restored through debugfs");
                }

                lines.Add($"ea_set -f {xattrFile(value)} {ino} {name}");
            }
        }

        return lines;
    }

    /// <summary>Splits nanoseconds since the epoch into ext4's 32-bit seconds field and its _extra field ((ns &lt;&lt; 2) | epoch bits).</summary>
    public static (uint Seconds, uint Extra) Encode(long ns)
    {
        long sec = Math.DivRem(ns, 1_000_000_000L, out long rem);
        if (rem < 0)
        {
            sec--;
            rem += 1_000_000_000L;
        }

        uint lo = unchecked((uint)sec);
        long epoch = (sec - unchecked((int)lo)) >> 32;
        return (lo, (uint)(rem << 2) | (uint)(epoch & 3));
    }

    private static void Time(List<string> lines, string ino, string field, long want, long have, bool extra)
    {
        if (want == have)
        {
            return;
        }

        var (seconds, extraBits) = Encode(want);
        lines.Add($"sif {ino} {field} 0x{seconds:x}");
        if (extra)
        {
            lines.Add($"sif {ino} {field}_extra 0x{extraBits:x}");
        }
    }

    private static int TypeBits(EntryType type) => type switch
    {
        EntryType.File => 0x8000,
        EntryType.Directory => 0x4000,
        EntryType.Symlink => 0xA000,
        EntryType.CharDevice => 0x2000,
        EntryType.BlockDevice => 0x6000,
        EntryType.Fifo => 0x1000,
        _ => 0xC000,
    };

    /// <summary>Runs the script against the filesystem at <paramref name="offset"/> of a raw image.</summary>
    public static void Apply(string raw, long offset, IReadOnlyList<string> script, string workDirectory)
    {
        ArgumentNullException.ThrowIfNull(script);
        if (script.Count == 0)
        {
            return;
        }

        var path = Path.Combine(workDirectory, $"fixups-{offset}.debugfs");
        File.WriteAllText(path, string.Join('\n', script) + "\n", new UTF8Encoding(false));
        var output = ExternalTool.Run("debugfs", ["-w", "-f", path, $"{raw}?offset={offset.ToString(CultureInfo.InvariantCulture)}"]);
        // debugfs exits 0 even when a command fails; its complaints are the lines not echoing a command.
        var complaints = output.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("debugfs", StringComparison.Ordinal)).Take(3).ToList();
        if (complaints.Count > 0)
        {
            throw new IOException($"debugfs fixups on {raw} at offset {offset} failed: {string.Join(" | ", complaints)}");
        }
    }
}

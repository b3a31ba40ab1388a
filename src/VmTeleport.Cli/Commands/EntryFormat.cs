using System.Globalization;
using VmTeleport.FileSystems;

namespace VmTeleport.Cli.Commands;

/// <summary>`ls -l`-style rendering of an entry.</summary>
public static class EntryFormat
{
    public static string LongLine(FileSystemEntry e, string name)
    {
        string size = e.Type is EntryType.CharDevice or EntryType.BlockDevice
            ? $"{e.RdevMajor}, {e.RdevMinor}"
            : e.Size.ToString(CultureInfo.InvariantCulture);
        var mtime = DateTimeOffset.UnixEpoch.AddTicks(e.MtimeNs / 100);
        string line = string.Create(
            CultureInfo.InvariantCulture,
            $"{ModeString(e)} {e.LinkCount,4} {e.Uid,6} {e.Gid,6} {size,12} {mtime:yyyy-MM-dd HH:mm:ss} {name}");
        return e.Type == EntryType.Symlink ? $"{line} -> {e.Target}" : line;
    }

    /// <summary>"drwxr-sr-t" as ls prints it, setuid/setgid/sticky included.</summary>
    public static string ModeString(FileSystemEntry e)
    {
        Span<char> s = stackalloc char[10];
        s[0] = e.Type switch
        {
            EntryType.Directory => 'd',
            EntryType.Symlink => 'l',
            EntryType.CharDevice => 'c',
            EntryType.BlockDevice => 'b',
            EntryType.Fifo => 'p',
            EntryType.Socket => 's',
            _ => '-',
        };
        int m = e.Mode;
        s[1] = (m & 0x100) != 0 ? 'r' : '-';
        s[2] = (m & 0x80) != 0 ? 'w' : '-';
        s[3] = Special(m & 0x40, m & 0x800, 's');
        s[4] = (m & 0x20) != 0 ? 'r' : '-';
        s[5] = (m & 0x10) != 0 ? 'w' : '-';
        s[6] = Special(m & 0x8, m & 0x400, 's');
        s[7] = (m & 0x4) != 0 ? 'r' : '-';
        s[8] = (m & 0x2) != 0 ? 'w' : '-';
        s[9] = Special(m & 0x1, m & 0x200, 't');
        return new string(s);
    }

    private static char Special(int exec, int special, char letter) => (exec != 0, special != 0) switch
    {
        (true, true) => letter,
        (false, true) => char.ToUpperInvariant(letter),
        (true, false) => 'x',
        _ => '-',
    };
}

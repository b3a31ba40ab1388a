using System.Globalization;
using System.Text;

namespace VmTeleport.Guests.Volumes;

/// <summary>Parses /etc/fstab (fstab(5)): six whitespace-separated fields, the last two optional.</summary>
public static class Fstab
{
    public const string Path = "/etc/fstab";

    public static IReadOnlyList<FstabEntry> Parse(string text, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(problems);
        var list = new List<FstabEntry>();
        int number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var f = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 4 || f.Length > 6 ||
                (f.Length > 4 && !int.TryParse(f[4], NumberStyles.None, CultureInfo.InvariantCulture, out _)) ||
                (f.Length > 5 && !int.TryParse(f[5], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                problems.Add($"{Path}:{number}: not an fstab line (spec mountpoint type options [dump [pass]]), skipped");
                continue;
            }

            list.Add(new FstabEntry
            {
                Spec = Unescape(f[0]),
                MountPoint = Unescape(f[1]),
                Type = f[2],
                Options = f[3],
                Dump = f.Length > 4 ? int.Parse(f[4], CultureInfo.InvariantCulture) : 0,
                Pass = f.Length > 5 ? int.Parse(f[5], CultureInfo.InvariantCulture) : 0,
                Line = number,
            });
        }

        return list;
    }

    /// <summary>fstab encodes blanks and backslashes in fields as three-digit octal escapes (\040).</summary>
    private static string Unescape(string s)
    {
        if (!s.Contains('\\', StringComparison.Ordinal))
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 3 < s.Length && IsOctal(s[i + 1]) && IsOctal(s[i + 2]) && IsOctal(s[i + 3]))
            {
                sb.Append((char)(((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) | (s[i + 3] - '0')));
                i += 3;
            }
            else
            {
                sb.Append(s[i]);
            }
        }

        return sb.ToString();
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}

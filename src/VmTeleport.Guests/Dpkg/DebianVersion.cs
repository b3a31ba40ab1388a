using System.Globalization;

namespace VmTeleport.Guests.Dpkg;

/// <summary>
/// A Debian package version, [epoch:]upstream[-revision], ordered as dpkg orders them (Debian
/// Policy §5.6.12; dpkg's lib/dpkg/version.c verrevcmp): epochs as numbers, then upstream and
/// revision alternately compared as runs of non-digits (letters before non-letters, "~" before
/// everything, even the end of the string) and runs of digits as numbers.
/// A class, not a record: "1.0", "1.0-0" and "1.00" are equal versions with different text, so
/// compare them with <see cref="CompareTo"/>, never with Equals.
/// </summary>
public sealed class DebianVersion : IComparable<DebianVersion>
{
    private DebianVersion(int epoch, string upstream, string revision)
    {
        Epoch = epoch;
        Upstream = upstream;
        Revision = revision;
    }

    public int Epoch { get; }

    public string Upstream { get; }

    /// <summary>The Debian revision, "" when the version has none (which dpkg orders as "0").</summary>
    public string Revision { get; }

    /// <summary>
    /// Reads a version as dpkg's parseversion does, refusing what dpkg would warn about too (an
    /// upstream part not starting with a digit, characters outside [A-Za-z0-9.+~-:] or, in the
    /// revision, outside [A-Za-z0-9.+~]): such versions are not in any Debian archive.
    /// </summary>
    public static DebianVersion Parse(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return TryParse(version, out var parsed, out var error)
            ? parsed
            : throw new FormatException($"version \"{version}\": {error}");
    }

    public static bool TryParse(string version, out DebianVersion parsed) => TryParse(version, out parsed, out _);

    private static bool TryParse(string version, out DebianVersion parsed, out string error)
    {
        parsed = null!;
        var s = version.Trim();
        if (s.Length == 0)
        {
            error = "version string is empty";
            return false;
        }

        if (s.Any(char.IsWhiteSpace))
        {
            error = "version string has embedded spaces";
            return false;
        }

        int epoch = 0;
        int colon = s.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            var e = s[..colon];
            if (e.Length == 0)
            {
                error = "epoch in version is empty";
                return false;
            }

            if (!e.All(char.IsAsciiDigit))
            {
                error = "epoch in version is not a number";
                return false;
            }

            if (!int.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out epoch))
            {
                error = "epoch in version is too big";
                return false;
            }

            s = s[(colon + 1)..];
            if (s.Length == 0)
            {
                error = "nothing after colon in version number";
                return false;
            }
        }

        // The revision follows the last hyphen, so an upstream part may itself hold hyphens.
        string revision = "";
        int hyphen = s.LastIndexOf('-');
        if (hyphen >= 0)
        {
            revision = s[(hyphen + 1)..];
            s = s[..hyphen];
            if (revision.Length == 0)
            {
                error = "revision number is empty";
                return false;
            }
        }

        if (s.Length == 0)
        {
            error = "version number is empty";
            return false;
        }

        if (!char.IsAsciiDigit(s[0]))
        {
            error = "version number does not start with digit";
            return false;
        }

        if (s.FirstOrDefault(c => !char.IsAsciiLetterOrDigit(c) && ".-+~:".IndexOf(c, StringComparison.Ordinal) < 0) is not '\0' and var bad)
        {
            error = $"invalid character '{bad}' in version number";
            return false;
        }

        if (revision.FirstOrDefault(c => !char.IsAsciiLetterOrDigit(c) && ".+~".IndexOf(c, StringComparison.Ordinal) < 0) is not '\0' and var badRevision)
        {
            error = $"invalid character '{badRevision}' in revision number";
            return false;
        }

        parsed = new DebianVersion(epoch, s, revision);
        error = "";
        return true;
    }

    /// <summary>dpkg --compare-versions: negative when <paramref name="a"/> is older, 0 when equal, positive when newer.</summary>
    public static int Compare(string a, string b) => Parse(a).CompareTo(Parse(b));

    public int CompareTo(DebianVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        if (Epoch != other.Epoch)
        {
            return Epoch.CompareTo(other.Epoch);
        }

        int upstream = CompareParts(Upstream, other.Upstream);
        return upstream != 0 ? upstream : CompareParts(Revision, other.Revision);
    }

    /// <summary>The version as written, with the epoch only when it is not 0.</summary>
    public override string ToString() =>
        (Epoch != 0 ? $"{Epoch.ToString(CultureInfo.InvariantCulture)}:" : "") + Upstream + (Revision.Length > 0 ? "-" + Revision : "");

    /// <summary>dpkg's verrevcmp.</summary>
    private static int CompareParts(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            // The non-digit prefix, character by character in dpkg's order.
            while ((i < a.Length && !char.IsAsciiDigit(a[i])) || (j < b.Length && !char.IsAsciiDigit(b[j])))
            {
                int ac = Order(a, i), bc = Order(b, j);
                if (ac != bc)
                {
                    return ac - bc;
                }

                i++;
                j++;
            }

            while (i < a.Length && a[i] == '0')
            {
                i++;
            }

            while (j < b.Length && b[j] == '0')
            {
                j++;
            }

            // The digit run: the first differing digit decides unless one run is longer.
            int firstDiff = 0;
            while (i < a.Length && char.IsAsciiDigit(a[i]) && j < b.Length && char.IsAsciiDigit(b[j]))
            {
                if (firstDiff == 0)
                {
                    firstDiff = a[i] - b[j];
                }

                i++;
                j++;
            }

            if (i < a.Length && char.IsAsciiDigit(a[i]))
            {
                return 1;
            }

            if (j < b.Length && char.IsAsciiDigit(b[j]))
            {
                return -1;
            }

            if (firstDiff != 0)
            {
                return firstDiff;
            }
        }

        return 0;
    }

    /// <summary>dpkg's order(): the end and digits 0, letters their code, '~' -1, anything else its code + 256.</summary>
    private static int Order(string s, int i)
    {
        if (i >= s.Length)
        {
            return 0;
        }

        char c = s[i];
        return char.IsAsciiDigit(c) ? 0
            : char.IsAsciiLetter(c) ? c
            : c == '~' ? -1
            : c + 256;
    }
}

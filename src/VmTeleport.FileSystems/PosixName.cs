using System.Text;

namespace VmTeleport.FileSystems;

/// <summary>
/// Turns the raw bytes of a name into a string the way Python's os.fsdecode does on Linux
/// (UTF-8 with surrogateescape): valid UTF-8 decodes, each undecodable byte b becomes the lone
/// surrogate U+DC00+b, so no two names collide and the oracle's output can be matched exactly.
/// </summary>
public static class PosixName
{
    private static readonly UTF8Encoding Strict = new(false, true);

    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return Strict.GetString(bytes);
        }

        var sb = new StringBuilder(bytes.Length);
        var i = 0;
        while (i < bytes.Length)
        {
            var len = ValidSequenceLength(bytes[i..]);
            if (len > 0)
            {
                sb.Append(Strict.GetString(bytes.Slice(i, len)));
                i += len;
            }
            else
            {
                sb.Append((char)(0xDC00 + bytes[i]));
                i++;
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// The inverse of <see cref="Decode"/>: UTF-8, except that U+DC80–U+DCFF (the bytes Decode
    /// could not decode) become that byte again.
    /// </summary>
    public static byte[] Encode(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var bytes = new List<byte>(s.Length + 4);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c >= 0xDC80 && c <= 0xDCFF)
            {
                bytes.Add((byte)(c - 0xDC00));
                continue;
            }

            int n = char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])
                ? Encoding.UTF8.GetBytes(s.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(s.AsSpan(i, 1), utf8);
            for (int k = 0; k < n; k++)
            {
                bytes.Add(utf8[k]);
            }
        }

        return [.. bytes];
    }

    /// <summary>Whether <paramref name="s"/> holds a lone surrogate (a name that is not UTF-8), which JSON text cannot carry.</summary>
    public static bool HasRawBytes(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The length of the well-formed UTF-8 sequence at the start, or 0.</summary>
    private static int ValidSequenceLength(ReadOnlySpan<byte> s)
    {
        var b = s[0];
        if (b < 0x80)
        {
            return 1;
        }

        var len = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
        if (len == 0 || s.Length < len)
        {
            return 0;
        }

        return System.Text.Unicode.Utf8.IsValid(s[..len]) ? len : 0;
    }
}

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

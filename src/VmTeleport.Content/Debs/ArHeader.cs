using System.Globalization;
using System.Text;

namespace VmTeleport.Content.Debs;

/// <summary>
/// One 60-byte member header of an ar archive (the common format of ar(5), as dpkg-deb writes it;
/// deb(5)): name[16] mtime[12] uid[6] gid[6] mode[8] size[10] "`\n", ASCII, space padded.
/// </summary>
internal readonly record struct ArHeader(string Name, long Size, int BsdNameLength)
{
    public const int Length = 60;

    /// <summary>"!&lt;arch&gt;\n", the archive's first eight bytes.</summary>
    public static ReadOnlySpan<byte> Magic => "!<arch>\n"u8;

    /// <summary>Members larger than this are refused: no .deb member comes near it, and it keeps
    /// every offset computation far from overflow.</summary>
    public const long MaxMemberSize = 1L << 40;

    public static ArHeader Parse(ReadOnlySpan<byte> header, string archive, long offset)
    {
        if (header[58] != (byte)'`' || header[59] != (byte)'\n')
        {
            throw new InvalidDataException(
                $"{archive}: ar member header at offset {offset} does not end with \"`\\n\" (not an ar archive, or corrupt)");
        }

        foreach (var b in header)
        {
            if (b is < 0x20 or > 0x7e && b != (byte)'\n')
            {
                throw new InvalidDataException($"{archive}: ar member header at offset {offset} holds a non-ASCII byte 0x{b:x2}");
            }
        }

        var rawName = Encoding.ASCII.GetString(header[..16]).TrimEnd(' ');
        var sizeText = Encoding.ASCII.GetString(header[48..58]).TrimEnd(' ');
        if (sizeText.Length == 0 || !sizeText.All(char.IsAsciiDigit)
            || !long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || size > MaxMemberSize)
        {
            throw new InvalidDataException(
                $"{archive}: ar member \"{rawName}\" at offset {offset} has an invalid size field \"{sizeText}\" (expected decimal digits, at most {MaxMemberSize})");
        }

        // BSD ar: "#1/N" means the name is the first N bytes of the data (and counts in the size).
        if (rawName.StartsWith("#1/", StringComparison.Ordinal))
        {
            if (!int.TryParse(rawName.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var nameLength)
                || nameLength is < 1 or > 4096 || nameLength > size)
            {
                throw new InvalidDataException(
                    $"{archive}: ar member at offset {offset} has an invalid BSD long name \"{rawName}\" (member size {size})");
            }

            return new ArHeader(string.Empty, size, nameLength);
        }

        // GNU ar ends names with '/', dpkg-deb writes them without; both are accepted. The GNU
        // symbol table ("/") and long-name table ("//") never occur in a .deb.
        var name = rawName.EndsWith('/') ? rawName[..^1] : rawName;
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"{archive}: ar member at offset {offset} has an unsupported name \"{rawName}\" (GNU symbol or long-name tables do not belong in a .deb)");
        }

        return new ArHeader(name, size, 0);
    }
}

using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VmTeleport.FileSystems;

/// <summary>
/// One line of `vmteleport tree --jsonl`, byte for byte what tools/oracle/walk.py prints for the
/// same entry: keys in walk.py's order, compact separators, and Python's json.dumps escaping
/// (ensure_ascii: every char outside 0x20–0x7e as \uXXXX, lower-case hex).
/// </summary>
public static class TreeRecord
{
    private static readonly string[] TypeNames = ["file", "dir", "symlink", "char", "block", "fifo", "socket"];

    /// <summary>The JSON line for <paramref name="entry"/>; <paramref name="sha256Hex"/> only for files when hashing.</summary>
    public static string ToJsonLine(FileSystemEntry entry, string? sha256Hex)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var sb = new StringBuilder(256);
        sb.Append("{\"path\":");
        AppendString(sb, entry.Path);
        sb.Append(",\"type\":\"").Append(TypeNames[(int)entry.Type]).Append('"');
        Append(sb, "mode", entry.Mode);
        Append(sb, "uid", entry.Uid);
        Append(sb, "gid", entry.Gid);
        if (entry.Type == EntryType.File)
        {
            Append(sb, "size", entry.Size);
        }

        Append(sb, "mtime_ns", entry.MtimeNs);
        Append(sb, "nlink", entry.LinkCount);
        Append(sb, "inode", entry.Inode);
        if (entry.Type == EntryType.Symlink)
        {
            sb.Append(",\"target\":");
            AppendString(sb, entry.Target ?? "");
        }

        if (entry.Type is EntryType.CharDevice or EntryType.BlockDevice)
        {
            sb.Append(",\"rdev\":\"").Append(entry.RdevMajor.ToString(CultureInfo.InvariantCulture)).Append(':')
                .Append(entry.RdevMinor.ToString(CultureInfo.InvariantCulture)).Append('"');
        }

        sb.Append(",\"xattrs\":{");
        var first = true;
        foreach (var x in entry.ExtendedAttributes.OrderBy(x => x.Name, StringComparer.Ordinal))
        {
            if (!first)
            {
                sb.Append(',');
            }

            first = false;
            AppendString(sb, x.Name);
            sb.Append(':');
            AppendString(sb, Convert.ToBase64String(x.Value));
        }

        sb.Append('}');
        if (entry.Type == EntryType.File && sha256Hex is not null)
        {
            sb.Append(",\"sha256\":");
            AppendString(sb, sha256Hex);
        }

        return sb.Append('}').ToString();
    }

    /// <summary>The lower-case hex SHA-256 of a file's content, read through <paramref name="fs"/> in 1 MiB pieces.</summary>
    public static string Sha256(IFileSystem fs, FileSystemEntry file)
    {
        ArgumentNullException.ThrowIfNull(fs);
        using var stream = fs.OpenRead(file);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, n);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Append(StringBuilder sb, string key, long value) =>
        sb.Append(",\"").Append(key).Append("\":").Append(value.ToString(CultureInfo.InvariantCulture));

    private static void Append(StringBuilder sb, string key, ulong value) =>
        sb.Append(",\"").Append(key).Append("\":").Append(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Appends <paramref name="s"/> as a JSON string escaped exactly as the tree lines are, so that
    /// formats built on them (the manifest) stay pure ASCII and comparable byte for byte.
    /// </summary>
    public static void AppendString(StringBuilder sb, string s)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(s);
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7E)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}

using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace VmTeleport.FileSystems;

/// <summary>
/// Writes entries as the JSON lines of `vmteleport tree --jsonl` (docs/tree-format.md): one
/// compact object per entry with, in this order, path, type, mode, uid, gid, size (files),
/// mtime_ns, nlink, inode, target (symlinks), rdev (devices), xattrs, sha256 (files, when hashed).
/// </summary>
public sealed class TreeRecordWriter : IDisposable
{
    private static readonly JsonWriterOptions Options = new()
    {
        // Names and targets stay readable UTF-8; only what JSON requires is escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    private readonly Stream _output;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly Utf8JsonWriter _json;

    public TreeRecordWriter(Stream output)
    {
        _output = output;
        _json = new Utf8JsonWriter(_buffer, Options);
    }

    public static string TypeName(EntryType type) => type switch
    {
        EntryType.File => "file",
        EntryType.Directory => "dir",
        EntryType.Symlink => "symlink",
        EntryType.CharDevice => "char",
        EntryType.BlockDevice => "block",
        EntryType.Fifo => "fifo",
        EntryType.Socket => "socket",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Writes one entry; <paramref name="sha256Hex"/> is given for hashed regular files.</summary>
    public void Write(FileSystemEntry e, string? sha256Hex)
    {
        ArgumentNullException.ThrowIfNull(e);
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString("path", e.Path);
        _json.WriteString("type", TypeName(e.Type));
        _json.WriteNumber("mode", e.Mode);
        _json.WriteNumber("uid", e.Uid);
        _json.WriteNumber("gid", e.Gid);
        if (e.Type == EntryType.File)
        {
            _json.WriteNumber("size", e.Size);
        }

        _json.WriteNumber("mtime_ns", e.MtimeNs);
        _json.WriteNumber("nlink", e.LinkCount);
        _json.WriteNumber("inode", e.Inode);
        if (e.Type == EntryType.Symlink)
        {
            _json.WriteString("target", e.Target);
        }

        if (e.Type is EntryType.CharDevice or EntryType.BlockDevice)
        {
            _json.WriteString("rdev", $"{e.RdevMajor}:{e.RdevMinor}");
        }

        _json.WriteStartObject("xattrs");
        foreach (var x in e.ExtendedAttributes)
        {
            _json.WriteBase64String(x.Name, x.Value);
        }

        _json.WriteEndObject();
        if (e.Type == EntryType.File && sha256Hex is not null)
        {
            _json.WriteString("sha256", sha256Hex);
        }

        _json.WriteEndObject();
        _json.Flush();
        _buffer.Write("\n"u8);
        if (_buffer.WrittenCount >= 48 * 1024)
        {
            Flush();
        }
    }

    public void Flush()
    {
        _output.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        _output.Flush();
    }

    public void Dispose()
    {
        Flush();
        _json.Dispose();
    }
}

using System.Buffers;
using System.Globalization;
using System.Text.Json;
using VmTeleport.Content.Images;
using VmTeleport.Content.Layout;
using VmTeleport.FileSystems;

namespace VmTeleport.Transfer.Protocol;

/// <summary>
/// The disk layout on the wire (docs/protocol.md, "Disk layout"): JSON Lines, the first line the
/// disk's virtual size and its ext volumes with their mkfs parameters and entry counts, then one
/// line per entry of each volume in walk order with every piece of metadata the rebuild restores
/// (mode, owner, nanosecond times, links, targets, devices, inode flags, xattrs). The content
/// items are not repeated: they are the manifest's.
/// </summary>
public static class LayoutLines
{
    public const string FormatName = "vmteleport-layout";
    private static readonly string[] TypeNames = ["file", "dir", "symlink", "char", "block", "fifo", "socket"];

    public static void Write(IBufferWriter<byte> output, DiskLayout layout)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(layout);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("format", FormatName);
            json.WriteNumber("version", 1);
            json.WriteNumber("disk_size", layout.DiskSize);
            json.WriteStartArray("volumes");
            foreach (var v in layout.Volumes)
            {
                var p = v.Parameters;
                json.WriteStartObject();
                json.WriteNumber("number", v.Number);
                json.WriteNumber("offset", v.Offset);
                json.WriteNumber("length", v.Length);
                json.WriteNumber("entries", v.Entries.Count);
                json.WriteString("type", p.Type);
                json.WriteString("uuid", p.Uuid);
                GuestText.Write(json, "label", p.Label);
                json.WriteNumber("block_size", p.BlockSize);
                json.WriteNumber("inode_size", p.InodeSize);
                json.WriteNumber("inode_count", p.InodeCount);
                json.WriteNumber("block_count", p.BlockCount);
                json.WriteNumber("blocks_per_group", p.BlocksPerGroup);
                json.WriteNumber("log_groups_per_flex", p.LogGroupsPerFlex);
                json.WriteStartArray("features");
                foreach (var f in p.Features)
                {
                    json.WriteStringValue(f);
                }

                json.WriteEndArray();
                json.WriteString("hash_seed", p.HashSeed);
                json.WriteNumber("default_hash_version", p.DefaultHashVersion);
                json.WriteNumber("journal_size", p.JournalSize);
                json.WriteNumber("reserved_block_count", p.ReservedBlockCount);
                json.WriteNumber("filename_encoding", p.FilenameEncoding);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        output.Write("\n"u8);
        foreach (var v in layout.Volumes)
        {
            foreach (var e in v.Entries)
            {
                WriteEntry(output, v.Number, e);
            }
        }
    }

    private static void WriteEntry(IBufferWriter<byte> output, int volume, FileSystemEntry e)
    {
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteNumber("volume", volume);
            GuestText.Write(json, "path", e.Path);
            json.WriteString("type", TypeNames[(int)e.Type]);
            json.WriteNumber("mode", e.Mode);
            json.WriteNumber("uid", e.Uid);
            json.WriteNumber("gid", e.Gid);
            json.WriteNumber("size", e.Size);
            json.WriteNumber("mtime_ns", e.MtimeNs);
            json.WriteNumber("atime_ns", e.AtimeNs);
            json.WriteNumber("ctime_ns", e.CtimeNs);
            if (e.BirthTimeNs is { } birth)
            {
                json.WriteNumber("birth_ns", birth);
            }

            json.WriteNumber("nlink", e.LinkCount);
            json.WriteNumber("inode", e.Inode);
            if (e.Target is { } target)
            {
                GuestText.Write(json, "target", target);
            }

            if (e.Type is EntryType.CharDevice or EntryType.BlockDevice)
            {
                json.WriteNumber("rdev_major", e.RdevMajor);
                json.WriteNumber("rdev_minor", e.RdevMinor);
            }

            json.WriteNumber("flags", e.Flags);
            if (e.ExtendedAttributes.Count > 0)
            {
                json.WriteStartArray("xattrs");
                foreach (var x in e.ExtendedAttributes)
                {
                    json.WriteStartArray();
                    json.WriteStringValue(x.Name);
                    json.WriteBase64StringValue(x.Value);
                    json.WriteEndArray();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        output.Write("\n"u8);
    }

    /// <summary>
    /// Parses a whole layout document and joins it with the manifest's <paramref name="items"/>;
    /// <paramref name="where"/> names the document in errors. Anything malformed, inconsistent
    /// (entry counts, volumes outside the disk, unknown types) or of another format is refused.
    /// </summary>
    public static DiskLayout Parse(ReadOnlySpan<byte> text, IReadOnlyList<ContentItem> items, string where)
    {
        ArgumentNullException.ThrowIfNull(items);
        int line = 0;
        ReadOnlySpan<byte> Next(ref ReadOnlySpan<byte> rest)
        {
            line++;
            int nl = rest.IndexOf((byte)'\n');
            var current = nl < 0 ? rest : rest[..nl];
            rest = nl < 0 ? [] : rest[(nl + 1)..];
            return current;
        }

        var remaining = text;
        var first = Next(ref remaining);
        try
        {
            using var header = JsonDocument.Parse(first.ToArray());
            var root = header.RootElement;
            if (root.GetProperty("format").GetString() != FormatName || root.GetProperty("version").GetInt32() != 1)
            {
                throw new InvalidDataException($"{where}: not a {FormatName} version 1 document");
            }

            long diskSize = root.GetProperty("disk_size").GetInt64();
            if (diskSize <= 0)
            {
                throw new InvalidDataException($"{where}: disk size {diskSize}");
            }

            var volumes = new List<ExtVolume>();
            foreach (var v in root.GetProperty("volumes").EnumerateArray())
            {
                int number = v.GetProperty("number").GetInt32();
                long offset = v.GetProperty("offset").GetInt64(), length = v.GetProperty("length").GetInt64();
                if (number < 0 || offset < 0 || length <= 0 || offset > diskSize - length || volumes.Any(o => o.Number == number))
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"{where}: volume {number} at {offset} of {length} bytes does not fit a {diskSize}-byte disk, or is listed twice"));
                }

                int count = v.GetProperty("entries").GetInt32();
                var parameters = new ExtParameters
                {
                    Type = v.GetProperty("type").GetString() ?? "",
                    Uuid = v.GetProperty("uuid").GetGuid(),
                    Label = GuestText.Read(v, "label") ?? "",
                    BlockSize = v.GetProperty("block_size").GetInt32(),
                    InodeSize = v.GetProperty("inode_size").GetInt32(),
                    InodeCount = v.GetProperty("inode_count").GetUInt32(),
                    BlockCount = v.GetProperty("block_count").GetUInt64(),
                    BlocksPerGroup = v.GetProperty("blocks_per_group").GetUInt32(),
                    LogGroupsPerFlex = v.GetProperty("log_groups_per_flex").GetInt32(),
                    Features = [.. v.GetProperty("features").EnumerateArray().Select(f => f.GetString() ?? "")],
                    HashSeed = v.GetProperty("hash_seed").GetGuid(),
                    DefaultHashVersion = v.GetProperty("default_hash_version").GetInt32(),
                    JournalSize = v.GetProperty("journal_size").GetInt64(),
                    ReservedBlockCount = v.GetProperty("reserved_block_count").GetUInt64(),
                    FilenameEncoding = v.GetProperty("filename_encoding").GetInt32(),
                };
                if (parameters.Type is not ("ext2" or "ext3" or "ext4"))
                {
                    throw new InvalidDataException($"{where}: volume {number} has type \"{parameters.Type}\", not ext2/3/4");
                }

                var entries = new List<FileSystemEntry>(Math.Clamp(count, 0, 1 << 20));
                for (int i = 0; i < count; i++)
                {
                    if (remaining.IsEmpty)
                    {
                        throw new InvalidDataException($"{where}: volume {number} announces {count} entries, the document ends after {i}");
                    }

                    var entryLine = Next(ref remaining);
                    entries.Add(ParseEntry(entryLine, number, $"{where}, line {line}"));
                }

                volumes.Add(new ExtVolume(number, offset, length, parameters, entries));
            }

            while (!remaining.IsEmpty)
            {
                if (!Next(ref remaining).Trim((byte)' ').IsEmpty)
                {
                    throw new InvalidDataException($"{where}, line {line}: more entries than the volumes announce");
                }
            }

            return new DiskLayout(diskSize, volumes, items);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{where}: {e.Message} in the header \"{GuestText.Truncate(first)}\"", e);
        }
    }

    private static FileSystemEntry ParseEntry(ReadOnlySpan<byte> line, int volume, string where)
    {
        try
        {
            using var doc = JsonDocument.Parse(line.ToArray());
            var e = doc.RootElement;
            if (e.GetProperty("volume").GetInt32() != volume)
            {
                throw new InvalidDataException($"{where}: entry of volume {e.GetProperty("volume").GetInt32()} among volume {volume}'s");
            }

            var typeName = e.GetProperty("type").GetString();
            int type = Array.IndexOf(TypeNames, typeName);
            if (type < 0)
            {
                throw new InvalidDataException($"{where}: unknown entry type \"{typeName}\"");
            }

            var path = GuestText.Read(e, "path");
            if (path is null || !path.StartsWith('/'))
            {
                throw new InvalidDataException($"{where}: entry path \"{path}\" is not absolute");
            }

            var xattrs = new List<ExtendedAttribute>();
            if (e.TryGetProperty("xattrs", out var xs))
            {
                foreach (var x in xs.EnumerateArray())
                {
                    xattrs.Add(new ExtendedAttribute(x[0].GetString() ?? "", x[1].GetBytesFromBase64()));
                }
            }

            return new FileSystemEntry
            {
                Path = path,
                Type = (EntryType)type,
                Mode = e.GetProperty("mode").GetInt32() & 0xFFF,
                Uid = e.GetProperty("uid").GetUInt32(),
                Gid = e.GetProperty("gid").GetUInt32(),
                Size = e.GetProperty("size").GetInt64(),
                MtimeNs = e.GetProperty("mtime_ns").GetInt64(),
                AtimeNs = e.GetProperty("atime_ns").GetInt64(),
                CtimeNs = e.GetProperty("ctime_ns").GetInt64(),
                BirthTimeNs = e.TryGetProperty("birth_ns", out var b) ? b.GetInt64() : null,
                LinkCount = e.GetProperty("nlink").GetUInt32(),
                Inode = e.GetProperty("inode").GetUInt64(),
                Target = GuestText.Read(e, "target"),
                RdevMajor = e.TryGetProperty("rdev_major", out var ma) ? ma.GetUInt32() : 0,
                RdevMinor = e.TryGetProperty("rdev_minor", out var mi) ? mi.GetUInt32() : 0,
                Flags = e.GetProperty("flags").GetUInt32(),
                ExtendedAttributes = xattrs,
            };
        }
        catch (Exception x) when (x is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"{where}: {x.Message} in \"{GuestText.Truncate(line)}\"", x);
        }
    }
}

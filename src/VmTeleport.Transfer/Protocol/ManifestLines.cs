using System.Buffers;
using System.Text.Json;
using VmTeleport.Content.Chunking;
using VmTeleport.Content.Images;

namespace VmTeleport.Transfer.Protocol;

/// <summary>
/// The content manifest on the wire: one JSON object per <see cref="ContentItem"/>, one per line,
/// in walk order (docs/protocol.md, "Content manifest"). Chunks are written as
/// <c>["64 hex digits", length]</c> pairs; a chunk's offset follows from the ones before it.
/// </summary>
public static class ManifestLines
{
    public static void Write(IBufferWriter<byte> output, ContentItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("kind", item.Kind == ContentItemKind.File ? "file" : "region");
            if (item.Volume is { } volume)
            {
                json.WriteNumber("volume", volume);
            }
            else
            {
                json.WriteNull("volume");
            }

            if (item.Kind == ContentItemKind.File)
            {
                GuestText.Write(json, "path", item.Path!);
                if (item.GuestPath is { } guestPath)
                {
                    GuestText.Write(json, "guest_path", guestPath);
                }
                else
                {
                    json.WriteNull("guest_path");
                }
            }
            else
            {
                json.WriteNumber("offset", item.DiskOffset ?? 0);
                json.WriteString("label", item.Label);
            }

            json.WriteNumber("size", item.Size);
            if (item.Sha256 is { } sha)
            {
                json.WriteString("sha256", Convert.ToHexStringLower(sha));
            }

            json.WriteStartArray("chunks");
            foreach (var chunk in item.Chunks)
            {
                json.WriteStartArray();
                json.WriteStringValue(chunk.Id.ToString());
                json.WriteNumberValue(chunk.Length);
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        output.Write("\n"u8);
    }

    /// <summary>Parses one line; <paramref name="where"/> names it in errors ("manifest of demo, line 12").</summary>
    public static ContentItem Parse(ReadOnlySpan<byte> line, string where)
    {
        try
        {
            using var doc = JsonDocument.Parse(line.ToArray());
            var root = doc.RootElement;
            var kind = root.GetProperty("kind").GetString() switch
            {
                "file" => ContentItemKind.File,
                "region" => ContentItemKind.Region,
                var other => throw new InvalidDataException($"{where}: kind is \"{other}\", expected \"file\" or \"region\""),
            };
            var chunks = new List<ChunkSpan>();
            long total = 0;
            foreach (var pair in root.GetProperty("chunks").EnumerateArray())
            {
                if (pair.GetArrayLength() != 2)
                {
                    throw new InvalidDataException($"{where}: a chunk is [id, length], got {pair.GetRawText()}");
                }

                var id = ChunkId.TryParse(pair[0].GetString(), out var parsed)
                    ? parsed
                    : throw new InvalidDataException($"{where}: \"{pair[0].GetRawText()}\" is not a chunk id");
                int length = pair[1].GetInt32();
                if (length <= 0)
                {
                    throw new InvalidDataException($"{where}: chunk {id} has length {length}");
                }

                chunks.Add(new ChunkSpan(id, length));
                total += length;
            }

            long size = root.GetProperty("size").GetInt64();
            if (total != size)
            {
                throw new InvalidDataException($"{where}: chunks add up to {total} bytes, size says {size}");
            }

            var volume = root.TryGetProperty("volume", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : (int?)null;
            return kind == ContentItemKind.File
                ? new ContentItem
                {
                    Kind = kind,
                    Volume = volume,
                    Path = GuestText.Read(root, "path") ?? throw new InvalidDataException($"{where}: a file has no path"),
                    GuestPath = GuestText.Read(root, "guest_path"),
                    Size = size,
                    Sha256 = Convert.FromHexString(root.GetProperty("sha256").GetString() ?? throw new InvalidDataException($"{where}: a file has no sha256")),
                    Chunks = chunks,
                }
                : new ContentItem
                {
                    Kind = kind,
                    Volume = volume,
                    DiskOffset = root.GetProperty("offset").GetInt64(),
                    Label = root.TryGetProperty("label", out var l) ? l.GetString() : null,
                    Size = size,
                    Chunks = chunks,
                };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{where}: {e.Message} in \"{GuestText.Truncate(line)}\"", e);
        }
    }
}

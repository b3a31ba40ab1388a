using System.Text;
using System.Text.Json;
using VmTeleport.FileSystems;

namespace VmTeleport.Transfer.Protocol;

/// <summary>
/// Guest-controlled names and symlink targets in JSON. Most are UTF-8 and travel as strings; a
/// name that is not (PosixName keeps its raw bytes as lone surrogates, which JSON text cannot
/// carry) travels as <c>NAME_b64</c>, the base64 of its bytes, so every name round-trips exactly.
/// </summary>
public static class GuestText
{
    public static void Write(Utf8JsonWriter json, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(value);
        if (PosixName.HasRawBytes(value))
        {
            json.WriteString(name + "_b64", Convert.ToBase64String(PosixName.Encode(value)));
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>The value written by <see cref="Write"/> under <paramref name="name"/>, or null when neither form is present.</summary>
    public static string? Read(JsonElement obj, string name)
    {
        if (obj.TryGetProperty(name, out var text))
        {
            return text.ValueKind == JsonValueKind.Null ? null : text.GetString();
        }

        if (obj.TryGetProperty(name + "_b64", out var b64))
        {
            return PosixName.Decode(Convert.FromBase64String(b64.GetString() ?? ""));
        }

        return null;
    }

    internal static string Truncate(ReadOnlySpan<byte> line)
    {
        var s = Encoding.UTF8.GetString(line);
        return s.Length <= 120 ? s : s[..120] + "…";
    }
}

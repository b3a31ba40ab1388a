using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VmTeleport.Guests;

/// <summary>
/// The JSON form of <see cref="GuestDescription"/> (docs/description-format.md): snake_case
/// names as in `tree`, every field present (null when unknown), UTF-8 without needless escapes
/// (package versions keep their '+' and '~').
/// </summary>
public static class DescriptionJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Serialize(GuestDescription description) => JsonSerializer.Serialize(description, Options);

    /// <summary>The hardware of a description document (null when it was made without a domain XML).</summary>
    public static Hardware.DomainHardware? HardwareOf(string descriptionJson, string where)
    {
        try
        {
            using var doc = JsonDocument.Parse(descriptionJson);
            return doc.RootElement.TryGetProperty("hardware", out var hw) && hw.ValueKind == JsonValueKind.Object
                ? hw.Deserialize<Hardware.DomainHardware>(Options)
                : null;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where}: the description's hardware cannot be read ({e.Message})", e);
        }
    }
}

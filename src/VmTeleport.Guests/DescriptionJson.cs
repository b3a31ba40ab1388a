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
}

using System.Text.Json;

namespace VmTeleport.Guests.Tests.Hardware;

/// <summary>
/// The records as the description document serializes them (snake_case, no converters). Also
/// how tests compare whole records: record equality compares lists by reference.
/// </summary>
internal static class HardwareJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}

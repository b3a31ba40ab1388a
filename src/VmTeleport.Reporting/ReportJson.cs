using System.Text.Json;

namespace VmTeleport.Reporting;

/// <summary>The summary `report --json` prints for scripts: the files written and every goals row, snake_case.</summary>
public static class ReportJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static string Serialize(ReportOutput output) => JsonSerializer.Serialize(output, Options);
}

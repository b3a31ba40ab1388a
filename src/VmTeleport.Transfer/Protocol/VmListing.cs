using System.Text.Json.Serialization;

namespace VmTeleport.Transfer.Protocol;

/// <summary>One VM an agent serves, as GET /v1/vms lists it.</summary>
public sealed record VmListing
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>The image file's name (not its path: the agent does not disclose its directories).</summary>
    [JsonPropertyName("image")]
    public required string Image { get; init; }

    [JsonPropertyName("snapshot")]
    public string? Snapshot { get; init; }

    [JsonPropertyName("format")]
    public required string Format { get; init; }

    [JsonPropertyName("virtual_size")]
    public required long VirtualSize { get; init; }
}

namespace VmTeleport.Guests.Hardware;

/// <summary>A &lt;devices&gt;&lt;graphics&gt; console: how a user reaches the guest's screen.</summary>
public sealed record DomainGraphics
{
    /// <summary>&lt;graphics type&gt;: "vnc", "spice", "sdl", ...</summary>
    public required string Type { get; init; }

    /// <summary>&lt;graphics listen&gt; or &lt;listen address&gt;.</summary>
    public string? Listen { get; init; }

    /// <summary>&lt;graphics port&gt;; null with autoport or when absent.</summary>
    public int? Port { get; init; }
}

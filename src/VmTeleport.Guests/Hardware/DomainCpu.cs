namespace VmTeleport.Guests.Hardware;

/// <summary>The guest CPU model and topology from &lt;cpu&gt; (formatdomain.html, "CPU model and topology").</summary>
public sealed record DomainCpu
{
    /// <summary>&lt;cpu mode&gt;: "custom", "host-model", "host-passthrough", "maximum".</summary>
    public string? Mode { get; init; }

    /// <summary>&lt;cpu&gt;&lt;model&gt; text, e.g. "Skylake-Client-IBRS".</summary>
    public string? Model { get; init; }

    /// <summary>&lt;cpu match&gt;: "minimum", "exact", "strict".</summary>
    public string? Match { get; init; }

    public string? Vendor { get; init; }

    public int? Sockets { get; init; }

    public int? Dies { get; init; }

    public int? Cores { get; init; }

    public int? Threads { get; init; }
}

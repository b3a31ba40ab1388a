using VmTeleport.Guests.Classes;
using VmTeleport.Guests.Hardware;

namespace VmTeleport.Guests;

/// <summary>How <see cref="GuestInspector"/> works.</summary>
public sealed record InspectOptions
{
    public ClassPolicy Policy { get; init; } = ClassPolicy.Default;

    /// <summary>Files read at the same time.</summary>
    public int Threads { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Receives each manifest line in walk order; when set, every file's SHA-256 is computed too.</summary>
    public Action<string>? Manifest { get; init; }

    /// <summary>
    /// Receives every regular file's guest path and class (with the package that decided it), in
    /// walk order. Unlike <see cref="Manifest"/> it costs no SHA-256: only the MD5s that
    /// classifying package files needs anyway are computed.
    /// </summary>
    public Action<string, ClassifiedEntry>? Classified { get; init; }

    /// <summary>Called after each entry with the entries and file bytes classified so far (for progress displays).</summary>
    public Action<long, long>? Progress { get; init; }

    /// <summary>The hardware description to embed (libvirt domain), if any.</summary>
    public DomainHardware? Hardware { get; init; }
}

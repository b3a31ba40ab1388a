namespace VmTeleport.Guests;

/// <summary>The image a description was made from: the description's <c>source</c> object.</summary>
public sealed record DescribedImage
{
    public required string Image { get; init; }

    /// <summary>The internal snapshot described (name as given), or null for the image's current state.</summary>
    public string? Snapshot { get; init; }

    /// <summary>"qcow2" or "raw".</summary>
    public required string Format { get; init; }

    public required long VirtualSize { get; init; }

    /// <summary>Bytes of the virtual disk that hold data (zero and unallocated ranges excluded).</summary>
    public required long AllocatedBytes { get; init; }
}

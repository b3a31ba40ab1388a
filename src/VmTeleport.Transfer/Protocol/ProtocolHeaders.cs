namespace VmTeleport.Transfer.Protocol;

/// <summary>The protocol's paths, headers and media types (docs/protocol.md).</summary>
public static class ProtocolHeaders
{
    /// <summary>Every path starts with this version prefix.</summary>
    public const string Version = "/v1";

    /// <summary>Request and response header: the codec of chunk frames (zstd, brotli, none).</summary>
    public const string Codec = "VmTeleport-Codec";

    /// <summary>Response header of the manifest, request header of chunk batches: the image state the manifest describes.</summary>
    public const string ImageState = "VmTeleport-Image-State";

    /// <summary>Most chunk ids one batch request may name.</summary>
    public const int MaxIdsPerBatch = 1 << 16;

    public const string ChunkIdsType = "application/vnd.vmteleport.chunk-ids";
    public const string ChunkFramesType = "application/vnd.vmteleport.chunk-frames";
    public const string LayoutType = "application/vnd.vmteleport.layout+jsonl+zstd";
    public const string ManifestType = "application/vnd.vmteleport.manifest+jsonl+zstd";
}

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

    /// <summary>Description and image responses: the served image file's size in bytes (what a plain copy carries before compression).</summary>
    public const string ImageBytes = "VmTeleport-Image-Bytes";

    /// <summary>Description response: the estimated size of the image file compressed with zstd level 1 (sampled at describe time).</summary>
    public const string ImageZstdBytes = "VmTeleport-Image-Zstd-Bytes";

    /// <summary>Description response, present only when a plain copy of the file is impossible: why (a backing file, a snapshot).</summary>
    public const string PlainCopyRefused = "VmTeleport-Plain-Copy-Refused";

    /// <summary>Description and image responses: the image file's format, qcow2 or raw.</summary>
    public const string ImageFormat = "VmTeleport-Image-Format";

    /// <summary>Largest probe a client may ask for (GET /v1/probe?bytes=N).</summary>
    public const long MaxProbeBytes = 64L << 20;

    /// <summary>Highest zstd level the image endpoint accepts (?level=N; 0 sends the file uncompressed).</summary>
    public const int MaxImageLevel = 19;

    /// <summary>Most chunk ids one batch request may name.</summary>
    public const int MaxIdsPerBatch = 1 << 16;

    public const string ChunkIdsType = "application/vnd.vmteleport.chunk-ids";
    public const string ChunkFramesType = "application/vnd.vmteleport.chunk-frames";
    public const string LayoutType = "application/vnd.vmteleport.layout+jsonl+zstd";
    public const string ImageType = "application/vnd.vmteleport.image";
    public const string ProbeType = "application/octet-stream";
    public const string ManifestType = "application/vnd.vmteleport.manifest+jsonl+zstd";
}

namespace VmTeleport.Transfer.Protocol;

/// <summary>How the payload of a chunk frame is compressed (docs/protocol.md, "Chunks").</summary>
public enum ChunkCodec
{
    /// <summary>zstd level 3 (ZstdSharp): the default, chosen by measurement (docs/protocol.md).</summary>
    Zstd,

    /// <summary>Brotli quality 5 from the BCL.</summary>
    Brotli,

    /// <summary>No compression: the chunk bytes as they are.</summary>
    None,
}

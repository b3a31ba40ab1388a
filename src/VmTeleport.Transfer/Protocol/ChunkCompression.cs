using System.IO.Compression;
using ZstdSharp;

namespace VmTeleport.Transfer.Protocol;

/// <summary>Compresses and decompresses one frame's payload (the concatenated chunk bytes) with a <see cref="ChunkCodec"/>.</summary>
public static class ChunkCompression
{
    public const int ZstdLevel = 3;
    public const int BrotliQuality = 5;
    private const int BrotliWindow = 22;

    public static string Name(ChunkCodec codec) => codec switch
    {
        ChunkCodec.Zstd => "zstd",
        ChunkCodec.Brotli => "brotli",
        ChunkCodec.None => "none",
        _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, "unknown chunk codec"),
    };

    public static bool TryParse(string? name, out ChunkCodec codec)
    {
        codec = name switch
        {
            "zstd" => ChunkCodec.Zstd,
            "brotli" => ChunkCodec.Brotli,
            "none" => ChunkCodec.None,
            _ => (ChunkCodec)(-1),
        };
        return (int)codec >= 0;
    }

    public static byte[] Compress(ChunkCodec codec, ReadOnlySpan<byte> raw)
    {
        switch (codec)
        {
            case ChunkCodec.Zstd:
                using (var compressor = new Compressor(ZstdLevel))
                {
                    return compressor.Wrap(raw).ToArray();
                }

            case ChunkCodec.Brotli:
                var buffer = new byte[BrotliEncoder.GetMaxCompressedLength(raw.Length)];
                if (!BrotliEncoder.TryCompress(raw, buffer, out var written, BrotliQuality, BrotliWindow))
                {
                    throw new InvalidOperationException($"brotli could not compress {raw.Length} bytes into {buffer.Length}");
                }

                return buffer.AsSpan(0, written).ToArray();
            case ChunkCodec.None:
                return raw.ToArray();
            default:
                throw new ArgumentOutOfRangeException(nameof(codec), codec, "unknown chunk codec");
        }
    }

    /// <summary>Decompresses into exactly <paramref name="raw"/>; anything else is corrupt input.</summary>
    public static void Decompress(ChunkCodec codec, ReadOnlySpan<byte> compressed, Span<byte> raw, string where)
    {
        int written;
        switch (codec)
        {
            case ChunkCodec.Zstd:
                using (var decompressor = new Decompressor())
                {
                    try
                    {
                        written = decompressor.Unwrap(compressed, raw);
                    }
                    catch (ZstdException e)
                    {
                        throw new InvalidDataException($"{where}: zstd payload of {compressed.Length} bytes does not decompress into {raw.Length} bytes: {e.Message}", e);
                    }
                }

                break;
            case ChunkCodec.Brotli:
                if (!BrotliDecoder.TryDecompress(compressed, raw, out written))
                {
                    throw new InvalidDataException($"{where}: brotli payload of {compressed.Length} bytes does not decompress into {raw.Length} bytes");
                }

                break;
            case ChunkCodec.None:
                if (compressed.Length != raw.Length)
                {
                    throw new InvalidDataException($"{where}: uncompressed payload is {compressed.Length} bytes, the frame's chunks add up to {raw.Length}");
                }

                compressed.CopyTo(raw);
                written = raw.Length;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(codec), codec, "unknown chunk codec");
        }

        if (written != raw.Length)
        {
            throw new InvalidDataException($"{where}: payload decompressed to {written} bytes, the frame's chunks add up to {raw.Length}");
        }
    }
}

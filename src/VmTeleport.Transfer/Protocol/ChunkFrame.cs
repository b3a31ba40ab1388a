using System.Buffers.Binary;
using VmTeleport.Content.Chunking;

namespace VmTeleport.Transfer.Protocol;

/// <summary>
/// One frame of a chunk batch response (docs/protocol.md, "Chunks"): a header naming each chunk and
/// its length, then one compressed payload holding the chunks' bytes one after the other. Frames
/// are independent (each payload decompresses alone), so a client stores every whole frame it
/// received even when the connection drops in the next one. A frame of zero chunks ends the response.
/// </summary>
public sealed class ChunkFrame
{
    /// <summary>At most this many chunks in one frame.</summary>
    public const int MaxChunks = 1 << 16;

    /// <summary>At most this many raw bytes in one frame (and so in one chunk).</summary>
    public const int MaxRawBytes = 64 << 20;

    private const int EntrySize = ChunkId.Size + 4;

    public ChunkFrame(IReadOnlyList<ChunkId> ids, IReadOnlyList<int> offsets, byte[] raw, int payloadBytes)
    {
        Ids = ids;
        Offsets = offsets;
        Raw = raw;
        PayloadBytes = payloadBytes;
    }

    public IReadOnlyList<ChunkId> Ids { get; }

    /// <summary>Where each chunk starts in <see cref="Raw"/>; chunk i ends where i + 1 starts.</summary>
    public IReadOnlyList<int> Offsets { get; }

    public byte[] Raw { get; }

    /// <summary>Bytes of the frame as it crossed the wire (header and compressed payload).</summary>
    public int PayloadBytes { get; }

    public ReadOnlySpan<byte> Chunk(int i) =>
        Raw.AsSpan(Offsets[i], (i + 1 < Offsets.Count ? Offsets[i + 1] : Raw.Length) - Offsets[i]);

    /// <summary>The frame for <paramref name="chunks"/>, whose bytes lie one after the other in <paramref name="raw"/>.</summary>
    public static byte[] Encode(ChunkCodec codec, IReadOnlyList<(ChunkId Id, int Length)> chunks, ReadOnlySpan<byte> raw)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        if (chunks.Count is 0 or > MaxChunks)
        {
            throw new ArgumentOutOfRangeException(nameof(chunks), chunks.Count, $"a frame holds 1 to {MaxChunks} chunks");
        }

        var payload = ChunkCompression.Compress(codec, raw);
        var frame = new byte[4 + chunks.Count * EntrySize + 4 + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)chunks.Count);
        int at = 4;
        long total = 0;
        foreach (var (id, length) in chunks)
        {
            id.CopyTo(frame.AsSpan(at));
            BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(at + ChunkId.Size), (uint)length);
            at += EntrySize;
            total += length;
        }

        if (total != raw.Length)
        {
            throw new ArgumentException($"the chunks add up to {total} bytes, the raw span has {raw.Length}", nameof(chunks));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(at), (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(at + 4));
        return frame;
    }

    /// <summary>The end-of-response marker: a frame of zero chunks.</summary>
    public static byte[] End { get; } = new byte[4];

    /// <summary>
    /// Reads the next frame from <paramref name="stream"/>; null at the end marker. A stream that
    /// ends before the marker, or a frame whose header or payload is inconsistent, throws
    /// <see cref="InvalidDataException"/> naming <paramref name="where"/>.
    /// </summary>
    public static async Task<ChunkFrame?> ReadAsync(Stream stream, ChunkCodec codec, string where, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var word = new byte[4];
        await ReadExactlyAsync(stream, word, where, "frame header", cancellationToken).ConfigureAwait(false);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(word);
        if (count == 0)
        {
            return null;
        }

        if (count > MaxChunks)
        {
            throw new InvalidDataException($"{where}: frame announces {count} chunks, at most {MaxChunks} are allowed");
        }

        var entries = new byte[count * EntrySize + 4];
        await ReadExactlyAsync(stream, entries, where, "frame entries", cancellationToken).ConfigureAwait(false);
        var ids = new ChunkId[count];
        var offsets = new int[count];
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            var entry = entries.AsSpan(i * EntrySize, EntrySize);
            ids[i] = new ChunkId(entry[..ChunkId.Size]);
            offsets[i] = (int)total;
            total += BinaryPrimitives.ReadUInt32LittleEndian(entry[ChunkId.Size..]);
            if (total > MaxRawBytes)
            {
                throw new InvalidDataException($"{where}: frame's chunks add up to more than {MaxRawBytes} bytes");
            }
        }

        uint compressedLength = BinaryPrimitives.ReadUInt32LittleEndian(entries.AsSpan(entries.Length - 4));
        if (compressedLength > 2L * MaxRawBytes)
        {
            throw new InvalidDataException($"{where}: frame payload of {compressedLength} bytes is larger than any {total}-byte frame compresses to");
        }

        var payload = new byte[compressedLength];
        await ReadExactlyAsync(stream, payload, where, "frame payload", cancellationToken).ConfigureAwait(false);
        var raw = new byte[total];
        ChunkCompression.Decompress(codec, payload, raw, where);
        return new ChunkFrame(ids, offsets, raw, 4 + entries.Length + payload.Length);
    }

    private static async Task ReadExactlyAsync(Stream stream, byte[] buffer, string where, string what, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{where}: the response ended inside a {what} (no end marker)", e);
        }
    }
}

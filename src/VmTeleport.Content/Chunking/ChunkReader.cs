namespace VmTeleport.Content.Chunking;

/// <summary>
/// Cuts a stream into FastCDC chunks with bounded memory: one buffer of 2 × MaxSize, refilled when
/// less than MaxSize is left in it, so <see cref="FastCdc.NextBoundary"/> always sees a full MaxSize
/// window until the end of the input. Gives the same boundaries as the span API on the whole input
/// whatever sizes the stream's reads return.
/// </summary>
public sealed class ChunkReader
{
    private readonly Stream _stream;
    private readonly FastCdc _cdc;
    private readonly ChunkHasher _hasher;
    private readonly byte[] _buffer;
    private readonly int _max;
    private int _start;
    private int _end;
    private long _offset;
    private bool _eof;

    public ChunkReader(Stream stream, FastCdc cdc, ChunkHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(cdc);
        ArgumentNullException.ThrowIfNull(hasher);
        _stream = stream;
        _cdc = cdc;
        _hasher = hasher;
        _max = cdc.Options.MaxSize;
        _buffer = new byte[2 * _max];
    }

    /// <summary>
    /// The next chunk and its bytes, or false at the end of the stream. The bytes stay valid only
    /// until the next call: they live in the reader's buffer.
    /// </summary>
    public bool TryReadNext(out Chunk chunk, out ReadOnlySpan<byte> data)
    {
        if (_end - _start < _max && !_eof)
        {
            Fill();
        }

        var available = _end - _start;
        if (available == 0)
        {
            chunk = default;
            data = default;
            return false;
        }

        var window = _buffer.AsSpan(_start, available);
        var length = _cdc.NextBoundary(window);
        data = window[..length];
        chunk = new Chunk(_offset, length, _hasher.Hash(data));
        _start += length;
        _offset += length;
        return true;
    }

    /// <summary>Reads every remaining chunk; the enumeration is lazy and keeps the same bounded buffer.</summary>
    public IEnumerable<Chunk> ReadAll()
    {
        while (TryReadNext(out var chunk, out _))
        {
            yield return chunk;
        }
    }

    /// <summary>The chunks of a whole stream.</summary>
    public static IEnumerable<Chunk> Split(Stream stream, FastCdc cdc, ChunkHasher hasher) =>
        new ChunkReader(stream, cdc, hasher).ReadAll();

    private void Fill()
    {
        // Move what is left to the front so the buffer can take a whole MaxSize after it.
        var left = _end - _start;
        if (_start > 0)
        {
            _buffer.AsSpan(_start, left).CopyTo(_buffer);
            _start = 0;
            _end = left;
        }

        while (_end < _buffer.Length)
        {
            var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0)
            {
                _eof = true;
                return;
            }

            _end += n;
        }
    }
}

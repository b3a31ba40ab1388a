namespace VmTeleport.FileSystems.Ext;

/// <summary>
/// A seekable read-only view of a file's content. Each read is served run by run: a run of
/// contiguous blocks goes from the source straight into the caller's buffer in one call, holes
/// and uninitialized extents are zero-filled without touching the source.
/// </summary>
internal sealed class ExtFileStream : Stream
{
    private readonly ExtVolume _vol;
    private readonly IBlockMapper _mapper;
    private readonly long _length;
    private long _position;
    private BlockRun _run = new(-1, 0, -1);

    public ExtFileStream(ExtVolume vol, IBlockMapper mapper, long length)
    {
        _vol = vol;
        _mapper = mapper;
        _length = length;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var total = 0;
        var bs = _vol.BlockSize;
        while (!buffer.IsEmpty && _position < _length)
        {
            var lb = _position / bs;
            if (lb < _run.LogicalBlock || lb >= _run.LogicalBlock + _run.Count)
            {
                var blocks = ((_length + bs - 1) / bs) - lb;
                _run = _mapper.Map(lb, blocks);
            }

            var runEnd = Math.Min(_length, (_run.LogicalBlock + _run.Count) * bs);
            var n = (int)Math.Min(buffer.Length, runEnd - _position);
            var chunk = buffer[..n];
            if (_run.IsHole)
            {
                chunk.Clear();
            }
            else
            {
                var physical = ((_run.PhysicalBlock + (lb - _run.LogicalBlock)) * bs) + (_position % bs);
                _vol.Source.ReadAt(physical, chunk);
            }

            _position += n;
            total += n;
            buffer = buffer[n..];
        }

        return total;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException("read-only stream");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("read-only stream");
}

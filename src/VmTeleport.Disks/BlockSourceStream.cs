namespace VmTeleport.Disks;

/// <summary>A read-only, seekable <see cref="Stream"/> over a block source (for tools that want streams).</summary>
public sealed class BlockSourceStream : Stream
{
    private readonly IBlockSource _source;
    private long _position;

    public BlockSourceStream(IBlockSource source) => _source = source;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _source.Length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        long remaining = _source.Length - _position;
        if (remaining <= 0)
        {
            return 0;
        }

        int n = (int)Math.Min(buffer.Length, remaining);
        _source.ReadAt(_position, buffer[..n]);
        _position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _source.Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException("block source streams are read-only");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("block source streams are read-only");
}

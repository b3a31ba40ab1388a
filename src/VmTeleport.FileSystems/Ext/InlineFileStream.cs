namespace VmTeleport.FileSystems.Ext;

/// <summary>An inline-data file's content: its inline bytes, then zeros up to i_size.</summary>
internal sealed class InlineFileStream(byte[] inline, long length) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Clamp(length - _position, 0, buffer.Length);
        var dest = buffer[..n];
        dest.Clear();
        if (_position < inline.Length)
        {
            var from = inline.AsSpan((int)_position);
            from[..Math.Min(from.Length, n)].CopyTo(dest);
        }

        _position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => length + offset,
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

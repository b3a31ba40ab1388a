namespace VmTeleport.Content.Debs;

/// <summary>
/// The data of one ar member: exactly <c>length</c> bytes of the archive stream, read forward only.
/// The input ending early is corrupt data (the header promised more), never a silent short read.
/// </summary>
internal sealed class ArMemberStream(Stream inner, long length, string archive, string member, long dataOffset) : Stream
{
    private long _position;

    public long Remaining => length - _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (Remaining == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        // Fill the whole request (up to the member's end) even when the input returns short reads
        // (pipes, sockets): SharpCompress's xz decoder takes a short read for the end of its input.
        var want = (int)Math.Min(buffer.Length, Remaining);
        var total = 0;
        while (total < want)
        {
            var n = inner.Read(buffer[total..want]);
            if (n == 0)
            {
                throw new InvalidDataException(
                    $"{archive}: ar member \"{member}\" at offset {dataOffset} declares {length} bytes but the input ends after {_position}");
            }

            total += n;
            _position += n;
        }

        return total;
    }

    /// <summary>Reads and drops what is left, so the archive stream stands at the member's end.</summary>
    public void Skip()
    {
        Span<byte> scratch = stackalloc byte[8192];
        while (Read(scratch) > 0)
        {
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

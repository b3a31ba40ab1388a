namespace VmTeleport.Transfer.Client;

/// <summary>
/// Wraps the socket's stream below TLS and counts every byte read and written, so
/// <see cref="AgentClient.WireBytesReceived"/> includes TLS records, HTTP/2 frames and headers.
/// </summary>
internal sealed class CountingStream(Stream inner, WireCounters counters) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException("a socket stream has no length");

    public override long Position
    {
        get => throw new NotSupportedException("a socket stream has no position");
        set => throw new NotSupportedException("a socket stream has no position");
    }

    public override int Read(byte[] buffer, int offset, int count) => counters.Received(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => counters.Received(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        counters.Received(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        inner.Write(buffer, offset, count);
        counters.Sent(count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        counters.Sent(buffer.Length);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        counters.Sent(buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("a socket stream cannot seek");

    public override void SetLength(long value) => throw new NotSupportedException("a socket stream has no length");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

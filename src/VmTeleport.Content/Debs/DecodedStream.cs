namespace VmTeleport.Content.Debs;

/// <summary>
/// Wraps a stream read through a decompressor and a tar reader so that their ways of saying
/// "this data is corrupt" (EndOfStreamException, SharpCompress and zstd exceptions, FormatException)
/// all become one <see cref="InvalidDataException"/> naming the package, the member and the entry.
/// Real I/O faults of the underlying stream stay <see cref="IOException"/>.
/// </summary>
internal sealed class DecodedStream(Stream inner, string archive, string member, string entry) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>Set when the tar reader moves past this entry: its bytes are gone from the stream.</summary>
    public bool Retired { get; set; }

    public override int Read(Span<byte> buffer)
    {
        if (Retired)
        {
            throw new InvalidOperationException(
                $"{archive}: the content of {member} entry \"{entry}\" was read after the enumeration moved to the next entry");
        }

        try
        {
            return inner.Read(buffer);
        }
        catch (Exception e) when (IsDecoderFailure(e))
        {
            throw Corrupt(e, archive, member, entry);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Everything a decoder throws for bad input; not real I/O faults, not our own
    /// InvalidDataException/NotSupportedException (already well worded), not fatal errors.</summary>
    internal static bool IsDecoderFailure(Exception e) =>
        e is EndOfStreamException or FormatException or ArgumentException or InvalidOperationException or OverflowException
            or IndexOutOfRangeException
        || e.GetType().Namespace is { } ns && (ns.StartsWith("SharpCompress", StringComparison.Ordinal) || ns.StartsWith("ZstdSharp", StringComparison.Ordinal))
        || e is InvalidDataException && e.Source is not "VmTeleport.Content";

    internal static InvalidDataException Corrupt(Exception e, string archive, string member, string? entry) =>
        new($"{archive}: {member}{(entry is null ? "" : $" entry \"{entry}\"")} is corrupt: {e.Message}", e);
}

using System.Text;

namespace VmTeleport.Content.Debs;

/// <summary>Walks the members of an ar archive forward only, without seeking (deb(5), ar(5)).</summary>
internal sealed class ArReader
{
    private readonly Stream _stream;
    private readonly string _archive;
    private long _offset;
    private ArMemberStream? _current;
    private bool _pad;

    public ArReader(Stream stream, string archive)
    {
        _stream = stream;
        _archive = archive;
        Span<byte> magic = stackalloc byte[8];
        var n = ReadFully(magic);
        if (n < magic.Length || !magic.SequenceEqual(ArHeader.Magic))
        {
            throw new InvalidDataException($"{archive}: not a Debian package: it does not start with the ar magic \"!<arch>\\n\"");
        }

        _offset = 8;
    }

    /// <summary>The next member's name and data, or null at the end of the archive.</summary>
    public (string Name, ArMemberStream Data)? Next()
    {
        if (_current is not null)
        {
            _current.Skip();
            _offset += _current.Length;
            _current = null;
        }

        // Member data is padded to an even offset with one '\n' (ar(5)).
        if (_pad)
        {
            Span<byte> one = stackalloc byte[1];
            if (ReadFully(one) == 0)
            {
                return null;
            }

            _offset++;
        }

        Span<byte> header = stackalloc byte[ArHeader.Length];
        var n = ReadFully(header);
        if (n == 0)
        {
            return null;
        }

        if (n < header.Length)
        {
            throw new InvalidDataException(
                $"{_archive}: ar member header at offset {_offset} is truncated ({n} of {ArHeader.Length} bytes)");
        }

        var parsed = ArHeader.Parse(header, _archive, _offset);
        var headerOffset = _offset;
        _offset += ArHeader.Length;
        var name = parsed.Name;
        var size = parsed.Size;
        if (parsed.BsdNameLength > 0)
        {
            var nameBytes = new byte[parsed.BsdNameLength];
            if (ReadFully(nameBytes) < nameBytes.Length)
            {
                throw new InvalidDataException($"{_archive}: BSD long name of the ar member at offset {headerOffset} is truncated");
            }

            name = Encoding.ASCII.GetString(nameBytes).TrimEnd('\0');
            size -= parsed.BsdNameLength;
            _offset += parsed.BsdNameLength;
        }

        _pad = (_offset + size) % 2 == 1;
        _current = new ArMemberStream(_stream, size, _archive, name, _offset);
        return (name, _current);
    }

    private int ReadFully(Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = _stream.Read(buffer[total..]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}

using System.Formats.Tar;
using System.Text;

namespace VmTeleport.Content.Debs;

/// <summary>
/// A Debian binary package (deb(5)) read forward once from any stream: no seeking, nothing written
/// to disk, memory bounded by the decoders' windows and the control files. <see cref="Open(Stream, string, bool)"/>
/// reads the ar magic, debian-binary and control.tar; <see cref="ReadData"/> then streams data.tar.
/// Corrupt or hostile input throws <see cref="InvalidDataException"/> naming the package, the member
/// and, where known, the offset or entry; compressions dpkg no longer writes throw
/// <see cref="NotSupportedException"/>.
/// </summary>
public sealed class DebArchive : IDisposable
{
    /// <summary>A control file larger than this is refused, so a hostile package cannot make us buffer it.</summary>
    public const int MaxControlFileSize = 16 << 20;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly ArReader _ar;
    private bool _dataRead;

    private DebArchive(Stream stream, string name, bool leaveOpen)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        Name = name;
        _ar = new ArReader(stream, name);
        FormatVersion = ReadDebianBinary();
        (ControlMember, Control) = ReadControl();
    }

    /// <summary>What error messages call the package (its file name, usually).</summary>
    public string Name { get; }

    /// <summary>The debian-binary version, "2.0" for every package dpkg writes.</summary>
    public string FormatVersion { get; }

    /// <summary>The control member's name, e.g. "control.tar.xz".</summary>
    public string ControlMember { get; }

    /// <summary>The data member's name once <see cref="ReadData"/> has found it, e.g. "data.tar.zst".</summary>
    public string? DataMember { get; private set; }

    public DebControl Control { get; }

    public static DebArchive Open(Stream stream, string name, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        try
        {
            return new DebArchive(stream, name, leaveOpen);
        }
        catch
        {
            if (!leaveOpen)
            {
                stream.Dispose();
            }

            throw;
        }
    }

    public static DebArchive Open(string path) =>
        Open(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), Path.GetFileName(path));

    /// <summary>
    /// The entries of data.tar in archive order. Can be enumerated once: the package is read
    /// forward, and each entry's <see cref="DebEntry.Content"/> is valid only until the next.
    /// </summary>
    public IEnumerable<DebEntry> ReadData()
    {
        if (_dataRead)
        {
            throw new InvalidOperationException($"{Name}: data.tar can be read only once (the package is read forward)");
        }

        _dataRead = true;
        return Entries();
    }

    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private IEnumerable<DebEntry> Entries()
    {
        var member = NextMember("data.tar");
        DataMember = member.Name;
        var memberName = member.Name;
        using var tar = Guard(() => DebCompression.Open(member.Data, memberName, Name), memberName, null);
        using var reader = new TarReader(tar, leaveOpen: true);
        DecodedStream? previous = null;
        while (Guard(() => reader.GetNextEntry(copyData: false), memberName, null) is { } entry)
        {
            previous?.Retired = true;
            var debEntry = ToDebEntry(entry, memberName);
            previous = debEntry.Content as DecodedStream;
            yield return debEntry;
        }

        previous?.Retired = true;

        // The tar ends at its zero blocks; read the member to its declared end anyway, so a package
        // cut short after them is reported, not taken as complete.
        member.Data.Skip();
    }

    private DebEntry ToDebEntry(TarEntry entry, string member)
    {
        var path = DebPath.Normalize(entry.Name, Name, member);
        var type = entry.EntryType switch
        {
            TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => DebEntryType.RegularFile,
            TarEntryType.Directory => DebEntryType.Directory,
            TarEntryType.SymbolicLink => DebEntryType.SymbolicLink,
            TarEntryType.HardLink => DebEntryType.HardLink,
            TarEntryType.CharacterDevice => DebEntryType.CharacterDevice,
            TarEntryType.BlockDevice => DebEntryType.BlockDevice,
            TarEntryType.Fifo => DebEntryType.Fifo,
            _ => throw new NotSupportedException($"{Name}: {member} entry \"{entry.Name}\" has tar type {entry.EntryType}, which packages do not use"),
        };
        string? link = null;
        if (type is DebEntryType.SymbolicLink or DebEntryType.HardLink)
        {
            if (string.IsNullOrEmpty(entry.LinkName))
            {
                throw new InvalidDataException($"{Name}: {member} link \"{entry.Name}\" has no target");
            }

            link = type == DebEntryType.HardLink ? DebPath.Normalize(entry.LinkName, Name, member) : entry.LinkName;
        }

        var regular = type == DebEntryType.RegularFile;
        Stream? content = regular
            ? new DecodedStream(entry.DataStream ?? Stream.Null, Name, member, path)
            : null;
        return new DebEntry(path, type, entry.Mode, entry.Uid, entry.Gid, regular ? entry.Length : 0,
            entry.ModificationTime, link, content);
    }

    private string ReadDebianBinary()
    {
        var member = _ar.Next() ?? throw new InvalidDataException($"{Name}: the ar archive is empty (no debian-binary member)");
        if (member.Name != "debian-binary")
        {
            throw new InvalidDataException($"{Name}: the first member is \"{member.Name}\", expected \"debian-binary\"");
        }

        var text = ReadSmall(member.Data, "debian-binary", 4096).TrimEnd('\n');
        var version = text.Split('\n')[0];
        if (!version.StartsWith("2.", StringComparison.Ordinal) || version.Length < 3 || !version[2..].All(char.IsAsciiDigit))
        {
            throw new InvalidDataException($"{Name}: debian-binary says \"{version}\", expected a 2.x format version");
        }

        return version;
    }

    private (string Member, DebControl Control) ReadControl()
    {
        var member = NextMember("control.tar");
        var memberName = member.Name;
        string? control = null, md5sums = null, conffiles = null;
        using (var tar = Guard(() => DebCompression.Open(member.Data, memberName, Name), memberName, null))
        using (var reader = new TarReader(tar, leaveOpen: true))
        {
            while (Guard(() => reader.GetNextEntry(copyData: false), memberName, null) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                {
                    continue;
                }

                var path = DebPath.Normalize(entry.Name, Name, memberName);
                if (path is not ("/control" or "/md5sums" or "/conffiles"))
                {
                    continue;
                }

                var data = new DecodedStream(entry.DataStream ?? Stream.Null, Name, memberName, path);
                var text = ReadSmall(data, $"{memberName} {path}", MaxControlFileSize);
                switch (path)
                {
                    case "/control": control = text; break;
                    case "/md5sums": md5sums = text; break;
                    default: conffiles = text; break;
                }
            }
        }

        if (control is null)
        {
            throw new InvalidDataException($"{Name}: {memberName} has no control file");
        }

        var conf = (conffiles ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        return (memberName, new DebControl(DebControl.ParseParagraph(control, Name),
            md5sums is null ? new Dictionary<string, string>() : DebControl.ParseMd5Sums(md5sums, Name), conf));
    }

    /// <summary>The next member named <paramref name="prefix"/>*, skipping the "_"-prefixed members
    /// dpkg-deb also skips (deb(5): reserved for local additions).</summary>
    private (string Name, ArMemberStream Data) NextMember(string prefix)
    {
        while (true)
        {
            var member = _ar.Next() ?? throw new InvalidDataException($"{Name}: the package ends before its {prefix} member");
            if (member.Name.StartsWith('_'))
            {
                continue;
            }

            if (!member.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{Name}: found member \"{member.Name}\" where {prefix}* was expected");
            }

            return member;
        }
    }

    private string ReadSmall(Stream data, string what, int limit)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int n;
        while ((n = data.Read(chunk)) > 0)
        {
            if (buffer.Length + n > limit)
            {
                throw new InvalidDataException($"{Name}: {what} is larger than {limit} bytes");
            }

            buffer.Write(chunk, 0, n);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private T Guard<T>(Func<T> read, string member, string? entry)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (DecodedStream.IsDecoderFailure(e))
        {
            throw DecodedStream.Corrupt(e, Name, member, entry);
        }
    }
}

using System.Text;
using VmTeleport.FileSystems;

namespace VmTeleport.Guests.Tests.Support;

/// <summary>
/// A small in-memory filesystem for tests of the guest layer: paths, types, modes and contents,
/// with the ordering and lookup rules of <see cref="IFileSystem"/> (entries sorted by name bytes,
/// no symlink following).
/// </summary>
public sealed class MemoryFileSystem : IFileSystem
{
    private readonly SortedDictionary<string, (FileSystemEntry Entry, byte[] Content)> _entries = new(StringComparer.Ordinal);
    private ulong _nextInode = 2;

    public MemoryFileSystem(string label = "memory")
    {
        Label = label;
        Uuid = Guid.NewGuid();
        Add("/", EntryType.Directory, 0x1ED, []);
    }

    public string Type => "memory";

    public Guid Uuid { get; }

    public string Label { get; }

    public IReadOnlyList<string> Warnings => [];

    public FileSystemEntry Root => _entries["/"].Entry;

    public MemoryFileSystem File(string path, string content, int mode = 0x1A4, uint uid = 0) =>
        File(path, Encoding.UTF8.GetBytes(content), mode, uid);

    public MemoryFileSystem File(string path, byte[] content, int mode = 0x1A4, uint uid = 0)
    {
        Parents(path);
        Add(path, EntryType.File, mode, content, uid: uid);
        return this;
    }

    public MemoryFileSystem Dir(string path, int mode = 0x1ED, uint uid = 0)
    {
        Parents(path);
        if (!_entries.ContainsKey(path))
        {
            Add(path, EntryType.Directory, mode, [], uid: uid);
        }

        return this;
    }

    public MemoryFileSystem Symlink(string path, string target)
    {
        Parents(path);
        Add(path, EntryType.Symlink, 0x1FF, [], target);
        return this;
    }

    public FileSystemEntry GetEntry(string path) =>
        _entries.TryGetValue(path.Length > 1 ? path.TrimEnd('/') : path, out var e)
            ? e.Entry
            : throw new FileNotFoundException($"{path}: no such entry in the memory filesystem");

    public IEnumerable<FileSystemEntry> ListDirectory(FileSystemEntry directory)
    {
        var prefix = directory.Path == "/" ? "/" : directory.Path + "/";
        return _entries.Values.Select(v => v.Entry)
            .Where(e => e.Path != "/" && e.Path.StartsWith(prefix, StringComparison.Ordinal) && e.Path.IndexOf('/', prefix.Length) < 0)
            .OrderBy(e => Encoding.UTF8.GetBytes(e.Path[prefix.Length..]), ByteOrder.Instance)
            .ToList();
    }

    public IEnumerable<FileSystemEntry> Walk()
    {
        var stack = new Stack<FileSystemEntry>();
        stack.Push(Root);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            yield return e;
            if (e.Type == EntryType.Directory)
            {
                foreach (var c in ListDirectory(e).Reverse())
                {
                    stack.Push(c);
                }
            }
        }
    }

    public Stream OpenRead(FileSystemEntry file) => new MemoryStream(_entries[file.Path].Content, writable: false);

    public IEnumerable<FileRange> GetDataRanges(FileSystemEntry file) => [];

    public void Dispose()
    {
    }

    private void Parents(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var p = string.Empty;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            p += "/" + parts[i];
            if (!_entries.ContainsKey(p))
            {
                Add(p, EntryType.Directory, 0x1ED, []);
            }
        }
    }

    private void Add(string path, EntryType type, int mode, byte[] content, string? target = null, uint uid = 0) =>
        _entries[path] = (new FileSystemEntry
        {
            Path = path,
            Type = type,
            Mode = mode,
            Uid = uid,
            Gid = 0,
            Size = type == EntryType.File ? content.Length : 0,
            MtimeNs = 1_700_000_000_000_000_000,
            LinkCount = 1,
            Inode = _nextInode++,
            Target = target,
        }, content);

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}

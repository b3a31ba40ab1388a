using VmTeleport.FileSystems;

namespace VmTeleport.FileSystems.Tests;

/// <summary>A test double: files with given contents under the root, for code that consumes IFileSystem.</summary>
internal sealed class InMemoryFileSystem(IReadOnlyDictionary<string, byte[]> files, string? failingPath = null) : IFileSystem
{
    public string Type => "memory";

    public Guid Uuid => Guid.Empty;

    public string Label => string.Empty;

    public IReadOnlyList<string> Warnings => [];

    public FileSystemEntry Root { get; } = Entry("/", EntryType.Directory, 0, 1);

    public FileSystemEntry GetEntry(string path) =>
        path == "/" ? Root
        : files.TryGetValue(path, out var data) ? Entry(path, EntryType.File, data.Length, 2)
        : throw new FileNotFoundException(path);

    public IEnumerable<FileSystemEntry> ListDirectory(FileSystemEntry directory) =>
        files.Keys.Order(StringComparer.Ordinal).Select(GetEntry);

    public IEnumerable<FileSystemEntry> Walk() => ListDirectory(Root).Prepend(Root);

    public Stream OpenRead(FileSystemEntry file) =>
        file.Path == failingPath
            ? throw new InvalidDataException($"{file.Path}: extent tree loop (test)")
            : new MemoryStream(files[file.Path], writable: false);

    public IEnumerable<FileRange> GetDataRanges(FileSystemEntry file) => [new FileRange(0, file.Size)];

    public void Dispose()
    {
    }

    private static FileSystemEntry Entry(string path, EntryType type, long size, ulong inode) => new()
    {
        Path = path,
        Type = type,
        Mode = 0x1a4,
        Uid = 0,
        Gid = 0,
        Size = size,
        MtimeNs = 0,
        LinkCount = 1,
        Inode = inode,
    };
}

using VmTeleport.FileSystems;
using VmTeleport.Rebuild.Staging;

namespace VmTeleport.Rebuild.Tests;

/// <summary>Guest names and symlinks must never make staging write outside its root.</summary>
public sealed class StagingTreeHostileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmt-stage-").FullName;

    private static FileSystemEntry Entry(string path, EntryType type, string? target = null) => new()
    {
        Path = path, Type = type, Mode = type == EntryType.Directory ? 0x1ED : 0x1A4, Uid = 0, Gid = 0, Size = 0,
        MtimeNs = 1_700_000_000_123_456_789, LinkCount = 1, Inode = 1, Target = target,
    };

    [Theory]
    [InlineData("/../../etc/x")]
    [InlineData("/a/../../x")]
    [InlineData("relative")]
    [InlineData("/a//b")]
    [InlineData("/nul\0name")]
    public void Escaping_names_are_refused(string path)
    {
        var root = Path.Combine(_dir, "root");
        Directory.CreateDirectory(root);
        using var tree = new StagingTree(root);
        tree.Add(Entry("/a", EntryType.Directory));
        Assert.Throws<InvalidDataException>(() => tree.Add(Entry(path, EntryType.File), _ => { }));
        Assert.False(File.Exists(Path.Combine(_dir, "x")));
        Assert.Equal(["a"], Directory.EnumerateFileSystemEntries(root).Select(Path.GetFileName));
    }

    [Fact]
    public void A_file_under_a_symlinked_directory_is_refused_and_nothing_lands_behind_the_link()
    {
        var outside = Path.Combine(_dir, "outside");
        Directory.CreateDirectory(outside);
        var root = Path.Combine(_dir, "root");
        Directory.CreateDirectory(root);
        using var tree = new StagingTree(root);
        tree.Add(Entry("/", EntryType.Directory));
        tree.Add(Entry("/a", EntryType.Symlink, outside));
        Assert.Throws<InvalidDataException>(() => tree.Add(Entry("/a/b", EntryType.File), s => s.Write(0, "pwned"u8)));
        Assert.Throws<InvalidDataException>(() => tree.Add(Entry("/a/d", EntryType.Directory)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.Equal(outside, new FileInfo(Path.Combine(root, "a")).LinkTarget);
    }

    [Fact]
    public void A_name_already_there_is_not_replaced_or_followed()
    {
        var outside = Path.Combine(_dir, "victim");
        File.WriteAllText(outside, "keep");
        var root = Path.Combine(_dir, "root");
        Directory.CreateDirectory(root);
        using var tree = new StagingTree(root);
        tree.Add(Entry("/f", EntryType.Symlink, outside));
        Assert.Throws<IOException>(() => tree.Add(Entry("/f", EntryType.File), s => s.Write(0, "pwned"u8)));
        Assert.Equal("keep", File.ReadAllText(outside));
    }

    [Fact]
    public void Names_that_are_not_utf8_round_trip_to_their_bytes()
    {
        Assert.Equal(new byte[] { (byte)'b', 0xff, 0xfe }, StagingName.Encode("b\udcff\udcfe"));
        Assert.Equal("🚀ß"u8.ToArray(), StagingName.Encode("🚀ß"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

using VmTeleport.FileSystems.Ext;
using VmTeleport.TestSupport;

namespace VmTeleport.FileSystems.Tests;

/// <summary>The images tools/fixtures/ext.sh builds, and helpers to read them.</summary>
internal static class ExtImages
{
    /// <summary>Images the kernel here can mount (no 64 KiB blocks, no CONFIG_UNICODE).</summary>
    public static readonly string[] Mountable =
    [
        "ext4.img", "ext4-plain.img", "ext4-inline.img", "ext4-1k.img", "ext4-128.img", "ext4-metabg.img",
        "ext4-eainode.img", "ext3.img", "ext2.img", "ext4-recovery.img",
    ];

    public static readonly string[] All = [.. Mountable, "ext4-64k.img", "ext4-casefold.img"];

    public static string PathOf(string image) => Fixtures.Path("ext", image);

    /// <summary>The reader's walk in the JSON-lines format of walk.py.</summary>
    public static List<string> ReaderWalk(IFileSystem fs, bool hashes = true) =>
        fs.Walk().Select(e => TreeRecord.ToJsonLine(e, hashes && e.Type == EntryType.File ? TreeRecord.Sha256(fs, e) : null)).ToList();

    /// <summary>A private copy of an image that a test may corrupt; deleted with the returned scope.</summary>
    public static TempImage Copy(string image)
    {
        var dir = Directory.CreateTempSubdirectory("vmt-ext-");
        var path = System.IO.Path.Combine(dir.FullName, image);
        ExternalCommand.Check("cp", "--sparse=always", PathOf(image), path);
        return new TempImage(path);
    }

    public static Ext4FileSystem Open(RawFileSource source, Ext4OpenOptions? options = null) => Ext4FileSystem.Open(source, options);
}

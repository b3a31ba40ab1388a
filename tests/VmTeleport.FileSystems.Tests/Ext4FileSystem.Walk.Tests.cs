using System.Text.RegularExpressions;
using VmTeleport.TestSupport;

namespace VmTeleport.FileSystems.Tests;

/// <summary>The reader's walk against the kernel's, line for line, on every ext fixture.</summary>
public sealed class Ext4FileSystemWalkTests
{
    public static TheoryData<string> Mountable => [.. ExtImages.Mountable];

    [Theory]
    [MemberData(nameof(Mountable))]
    public void Walk_MatchesTheKernel(string image)
    {
        var path = ExtImages.PathOf(image);
        IReadOnlyList<string> expected;
        using (var mount = LoopMount.Raw(path))
        {
            expected = mount.Walk();
        }

        using var source = new RawFileSource(path);
        using var fs = FileSystemProbe.Open(source);
        var actual = ExtImages.ReaderWalk(fs);
        Assert.True(expected.Count > 3000, $"the kernel saw only {expected.Count} entries");
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }

        Assert.Equal(expected.Count, actual.Count);
    }

    [Theory]
    [MemberData(nameof(Mountable))]
    public void Detect_MatchesBlkid(string image)
    {
        var path = ExtImages.PathOf(image);
        using var source = new RawFileSource(path);
        var blkid = File.ReadAllText(path + ".blkid").Trim();
        Assert.Equal(blkid, FileSystemProbe.Detect(source));
        using var fs = FileSystemProbe.Open(source);
        Assert.Equal(blkid, fs.Type);
    }

    [Theory]
    [InlineData("ext4-64k.img")]
    [InlineData("ext4-casefold.img")]
    public void Walk_OfAnImageTheKernelCannotMount_MatchesTheSameTreeOnExt4(string image)
    {
        // This kernel refuses 64 KiB blocks and casefold, so compare with the kernel's view of
        // ext4.img built from the same tree: every field but inode numbers and times, for the
        // paths both images have (ext4.img also holds what the kernel added after mkfs).
        IReadOnlyList<string> reference;
        using (var mount = LoopMount.Raw(ExtImages.PathOf("ext4.img")))
        {
            reference = mount.Walk();
        }

        using var source = new RawFileSource(ExtImages.PathOf(image));
        using var fs = FileSystemProbe.Open(source);
        var actual = ExtImages.ReaderWalk(fs).Select(Normalise).ToDictionary(PathOf);
        var compared = 0;
        foreach (var line in reference.Select(Normalise))
        {
            var p = PathOf(line);
            if (p is "/" or "/small.txt" or "/dir/sub" or "" || !actual.TryGetValue(p, out var mine))
            {
                continue;
            }

            Assert.Equal(line, mine);
            compared++;
        }

        Assert.True(compared > 3000, $"only {compared} paths in common");
        if (image == "ext4-casefold.img")
        {
            var folded = fs.GetEntry("/folded");
            Assert.Equal(["MixedCase.TXT", "SubDir", "straße"], fs.ListDirectory(folded).Select(e => Path.GetFileName(e.Path)));
            Assert.Equal(0x40000000u, folded.Flags & 0x40000000u);
        }
    }

    // The lines may carry lone surrogates (undecodable names), which System.Text.Json refuses:
    // edit them as text.
    private static string Normalise(string line)
    {
        line = Regex.Replace(line, ",\"(inode|mtime_ns)\":-?[0-9]+", "");
        return line.Contains("\"type\":\"dir\"", StringComparison.Ordinal) ? Regex.Replace(line, ",\"nlink\":[0-9]+", "") : line;
    }

    private static string PathOf(string line) => Regex.Match(line, "^\\{\"path\":\"((?:[^\"\\\\]|\\\\.)*)\"").Groups[1].Value;
}

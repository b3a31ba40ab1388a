using VmTeleport.Content.Debs;
using VmTeleport.Content.Tests.Support;
using VmTeleport.TestSupport;

namespace VmTeleport.Content.Tests.Debs;

/// <summary>
/// Every compression dpkg knows, made by the reference tools (xz, zstd, gzip, bzip2), read back; then
/// seeded byte mutations of each package: every mutant reads or throws InvalidDataException or
/// NotSupportedException, and the whole run finishes (a hang fails on the timeout).
/// </summary>
public sealed class DebArchiveMutationTests
{
    private static readonly byte[] Data = ArBuilder.Tar(
        ("./", ""), ("./etc/", ""), ("./etc/motd", "welcome\n"),
        ("./usr/", ""), ("./usr/share/", ""), ("./usr/share/words", string.Join('\n', Enumerable.Range(0, 3000).Select(i => $"word{i * 7919 % 10007}"))));

    public static TheoryData<string, string> Compressors => new()
    {
        { "xz", ".xz" },
        { "zstd", ".zst" },
        { "gzip", ".gz" },
        { "bzip2", ".bz2" },
        { "cat", "" },
    };

    [Theory]
    [MemberData(nameof(Compressors))]
    public void Reference_compressors_output_reads(string tool, string suffix)
    {
        var deb = ArBuilder.Deb(Compress(tool), "data.tar" + suffix);
        using var archive = DebArchive.Open(new MemoryStream(deb), "ref.deb");
        string? words = null;
        DebEntry? last = null;
        foreach (var e in archive.ReadData())
        {
            if (e.Path == "/usr/share/words")
            {
                using var reader = new StreamReader(e.Content!);
                words = reader.ReadToEnd();
            }

            last = e;
        }

        Assert.Equal("data.tar" + suffix, archive.DataMember);
        Assert.Equal(3000, words!.Split('\n').Length);

        // Content is forward only: once the enumeration has moved on, reading it is a usage error.
        var late = Assert.Throws<InvalidOperationException>(() => last!.Content!.ReadByte());
        Assert.Contains("after the enumeration moved", late.Message, StringComparison.Ordinal);
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(Compressors))]
    public async Task Mutants_read_or_fail_with_the_documented_exceptions(string tool, string suffix)
    {
        var deb = ArBuilder.Deb(Compress(tool), "data.tar" + suffix);
        await Task.Run(() =>
        {
            var random = new Random(20261130);
            int failed = 0;
            for (int i = 0; i < 300; i++)
            {
                var mutant = (byte[])deb.Clone();
                var flips = random.Next(1, 4);
                for (int k = 0; k < flips; k++)
                {
                    mutant[random.Next(mutant.Length)] = (byte)random.Next(256);
                }

                try
                {
                    using var archive = DebArchive.Open(new MemoryStream(mutant), "mutant.deb");
                    foreach (var e in archive.ReadData())
                    {
                        e.Content?.CopyTo(Stream.Null);
                    }
                }
                catch (Exception e) when (e is InvalidDataException or NotSupportedException)
                {
                    Assert.StartsWith("mutant.deb", e.Message, StringComparison.Ordinal);
                    failed++;
                }
            }

            Assert.True(failed > 0, "some mutants must be refused");
        });
    }

    private static byte[] Compress(string tool)
    {
        var dir = Directory.CreateTempSubdirectory("vmteleport-compress-").FullName;
        try
        {
            var input = Path.Combine(dir, "data.tar");
            File.WriteAllBytes(input, Data);
            var output = Path.Combine(dir, "out");
            ExternalCommand.Check("bash", "-o", "pipefail", "-c", $"{tool} < '{input}' > '{output}'");
            return File.ReadAllBytes(output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

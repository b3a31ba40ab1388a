using System.Security.Cryptography;

namespace VmTeleport.Disks.Tests;

/// <summary>Reading never changes an image: bytes and mtime of every fixture stay as they were.</summary>
public sealed class DiskImageReadOnlyTests
{
    [Fact]
    public void Reading_every_fixture_changes_no_byte_and_no_mtime()
    {
        var files = Directory.EnumerateFiles(DiskFixtures.Dir, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".qcow2", StringComparison.Ordinal) || f.EndsWith(".raw", StringComparison.Ordinal))
            .ToList();
        var before = files.ToDictionary(f => f, Fingerprint);

        foreach (var f in files)
        {
            var specs = new List<string> { f };
            specs.AddRange(DiskImage.ListSnapshots(f).Select(s => $"{f}@{s.Id}"));
            foreach (var spec in specs)
            {
                using var image = DiskImage.Open(spec);
                var buffer = new byte[1 << 20];
                foreach (var e in image.GetExtents(0, image.Length).Where(e => e.Kind == ExtentKind.Data))
                {
                    for (long pos = e.Offset; pos < e.End; pos += buffer.Length)
                    {
                        image.ReadAt(pos, buffer.AsSpan(0, (int)Math.Min(buffer.Length, e.End - pos)));
                    }
                }

                PartitionTable.Read(image);
            }
        }

        Assert.Equal(before, files.ToDictionary(f => f, Fingerprint));
    }

    [Fact]
    public void Images_open_while_another_reader_holds_them()
    {
        string path = DiskFixtures.Path("v3.qcow2");
        using var shared = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var image = DiskImage.Open(path);
        Assert.Equal(8L << 20, image.Length);
    }

    private static string Fingerprint(string path)
    {
        var info = new FileInfo(path);
        string content;
        if (info.Length > 1L << 30)
        {
            // The 100 GiB sparse file: hash its allocated map instead of 100 GiB of zeros.
            using var raw = DiskImage.Open(path);
            content = string.Join(',', raw.GetExtents(0, raw.Length));
        }
        else
        {
            using var f = File.OpenRead(path);
            content = Convert.ToHexStringLower(SHA256.HashData(f));
        }

        return $"{content} {info.Length} {info.LastWriteTimeUtc.Ticks}";
    }
}

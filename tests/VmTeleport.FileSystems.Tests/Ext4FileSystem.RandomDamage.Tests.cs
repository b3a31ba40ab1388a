using System.Diagnostics;
using VmTeleport.FileSystems.Ext;

namespace VmTeleport.FileSystems.Tests;

/// <summary>
/// Random bytes written over the metadata of a fixture: whatever the reader makes of it, it
/// must end with the walk done or with InvalidDataException / NotSupportedException — never
/// another exception, a hang or a huge allocation.
/// </summary>
public sealed class Ext4FileSystemRandomDamageTests
{
    [Theory]
    [InlineData("ext4-plain.img", 1)]
    [InlineData("ext2.img", 2)]
    [InlineData("ext4-1k.img", 3)]
    [InlineData("ext4-inline.img", 4)]
    public void DamagedMetadata_FailsOnlyWithTheDocumentedExceptions(string image, int seed)
    {
        var original = File.ReadAllBytes(ExtImages.PathOf(image));
        int metadataEnd;
        using (var clean = new MemorySource(original, image))
        using (var fs = Ext4FileSystem.Open(clean))
        {
            // Everything up to the end of the root's first directory block holds the
            // superblock, descriptors, inode tables and most directories.
            metadataEnd = (int)Math.Min(original.Length, (fs.PhysicalBlock(2, 0) + 64) * fs.BlockSize);
        }

        var random = new Random(seed);
        var watch = Stopwatch.StartNew();
        var outcomes = new Dictionary<string, int>();
        for (var round = 0; round < 60; round++)
        {
            var data = (byte[])original.Clone();
            for (var i = 0; i < 200; i++)
            {
                data[random.Next(1024, metadataEnd)] = (byte)random.Next(256);
            }

            var outcome = "ok";
            try
            {
                using var source = new MemorySource(data, image);
                using var fs = Ext4FileSystem.Open(source, new Ext4OpenOptions { VerifyChecksums = false });
                foreach (var e in fs.Walk())
                {
                    if (e.Type == EntryType.File && e.Size < (4 << 20))
                    {
                        TreeRecord.Sha256(fs, e);
                        _ = fs.GetDataRanges(e).Count();
                    }
                }
            }
            catch (InvalidDataException)
            {
                outcome = "InvalidData";
            }
            catch (NotSupportedException)
            {
                outcome = "NotSupported";
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        Assert.True(outcomes.GetValueOrDefault("InvalidData") > 0 && outcomes.GetValueOrDefault("ok") < 60, string.Join(", ", outcomes));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(120), $"took {watch.Elapsed}");
    }
}

using VmTeleport.Content.Chunking;
using VmTeleport.Content.Images;
using VmTeleport.Disks;
using VmTeleport.FileSystems;
using VmTeleport.TestSupport;

namespace VmTeleport.Content.Tests.Images;

/// <summary>The content walk of the demo disk against the filesystem reader's own hashing and the raw disk bytes.</summary>
public sealed class ImageContentDemoTests
{
    private static string Demo => Fixtures.Path("demo", "demo.qcow2");

    [Fact]
    public void Every_regular_file_is_there_with_the_sha256_of_the_filesystem_walk_and_chunks_that_cover_it()
    {
        using var disk = DiskImage.Open(Demo);
        var items = ImageContent.Walk(disk, threads: 2).ToList();
        var files = items.Where(i => i.Kind == ContentItemKind.File).ToList();

        var table = PartitionTable.Read(disk);
        var p = Assert.Single(table.Partitions);
        using var fs = FileSystemProbe.Open(new BlockSlice(disk, p.Offset, p.Length, "demo partition 1"));
        var expected = HashedWalk.Run(fs, 1).Where(e => e.Entry.Type == EntryType.File)
            .ToDictionary(e => e.Entry.Path, e => e.Sha256!);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), files.Select(f => f.Path!).Order(StringComparer.Ordinal));
        foreach (var f in files)
        {
            Assert.Equal(p.Number, f.Volume);
            Assert.Equal(expected[f.Path!], Convert.ToHexStringLower(f.Sha256!));
            Assert.Equal(f.Path, f.GuestPath); // the demo's only filesystem is its root
            Assert.Equal(f.Size, f.Chunks.Sum(c => (long)c.Length));
            using var content = fs.OpenRead(fs.GetEntry(f.Path!));
            var chunks = ChunkReader.Split(content, new FastCdc(ChunkerOptions.Default), ChunkHasher.Default)
                .Select(c => new ChunkSpan(c.Id, c.Length)).ToList();
            Assert.Equal(chunks, f.Chunks);
        }
    }

    [Fact]
    public void Regions_lie_outside_the_filesystem_hold_the_disks_bytes_and_no_zero_block()
    {
        using var disk = DiskImage.Open(Demo);
        var part = Assert.Single(PartitionTable.Read(disk).Partitions);
        var regions = ImageContent.Walk(disk, threads: 1).Where(i => i.Kind == ContentItemKind.Region).ToList();

        // The MBR (boot code and partition table) is non-zero: at least that region exists.
        Assert.Contains(regions, r => r.DiskOffset == 0);
        foreach (var r in regions)
        {
            long start = r.DiskOffset!.Value;
            Assert.True(start + r.Size <= part.Offset || start >= part.Offset + part.Length,
                $"region [{start}, {start + r.Size}) overlaps partition 1");
            var bytes = new byte[r.Size];
            disk.ReadAt(start, bytes);
            for (int at = 0; at < bytes.Length; at += 4096)
            {
                Assert.True(bytes.AsSpan(at, Math.Min(4096, bytes.Length - at)).ContainsAnyExcept((byte)0), $"zero block at {start + at}");
            }

            long offset = 0;
            foreach (var c in r.Chunks)
            {
                Assert.Equal(ChunkHasher.Default.Hash(bytes.AsSpan((int)offset, c.Length)), c.Id);
                offset += c.Length;
            }

            Assert.Equal(r.Size, offset);
        }

        // Every non-zero byte before the partition is in a region.
        var head = new byte[part.Offset];
        disk.ReadAt(0, head);
        for (int i = 0; i < head.Length; i++)
        {
            if (head[i] != 0)
            {
                Assert.Contains(regions, r => r.DiskOffset <= i && i < r.DiskOffset + r.Size);
                i = (i / 4096 + 1) * 4096 - 1;
            }
        }
    }
}

using VmTeleport.Content.Chunking;
using VmTeleport.Content.Images;
using VmTeleport.Content.Index;
using VmTeleport.Content.Tests.Support;
using VmTeleport.Disks;
using VmTeleport.FileSystems;
using VmTeleport.TestSupport;

namespace VmTeleport.Content.Tests.Index;

/// <summary>Images in the index: current state, snapshots and backing files as sources; skipping, replacing, the planner's queries.</summary>
public sealed class ContentIndexImagesTests
{
    private static string Demo => Fixtures.Path("demo", "demo.qcow2");

    [Fact]
    public void The_image_and_its_snapshot_are_sources_whose_rows_match_the_walk()
    {
        using var dir = new TempDirectory();
        using var index = ContentIndex.Open(dir.Combine("data"), 2);
        var results = index.AddImage(Demo);

        Assert.Equal([(SourceKind.Image, null), (SourceKind.Snapshot, "before-edit")], results.Select(r => (r.Kind, r.Snapshot)).ToList());
        Assert.All(results, r => Assert.Equal(AddOutcome.Added, r.Outcome));
        var sources = index.Sources();
        Assert.Equal(2, sources.Count);
        var image = sources.Single(s => s.Kind == SourceKind.Image);
        Assert.Equal(Path.GetFullPath(Demo), image.Location);
        Assert.Equal("qcow2", image.Format);
        Assert.Equal("debian", image.Distro);

        using var disk = DiskImage.Open(Demo);
        var walked = ImageContent.Walk(disk, 1).ToList();
        var files = index.FilesOf(image.Id);
        Assert.Equal(
            walked.Where(i => i.Kind == ContentItemKind.File).Select(i => (i.Path!, Convert.ToHexStringLower(i.Sha256!), i.Size)).Order(),
            files.Select(f => (f.Path, Convert.ToHexStringLower(f.Sha256), f.Size)).Order());
        Assert.Equal(walked.SelectMany(i => i.Chunks).Select(c => c.Id).Distinct().Order(), index.ChunksOf(image.Id));
        Assert.Equal(walked.Count(i => i.Kind == ContentItemKind.Region), image.Regions);

        // The stored totals are the rows' own counts.
        var summary = index.Summary();
        Assert.Equal(sources.Sum(s => s.Files), summary.Files);
        Assert.Equal(sources.Sum(s => s.Chunks), summary.Chunks);
        Assert.Equal(sources.Sum(s => s.Bytes), summary.Bytes);
    }

    [Fact]
    public void Found_files_and_chunks_can_be_read_back_where_the_index_says()
    {
        using var dir = new TempDirectory();
        using var index = ContentIndex.Open(dir.Combine("data"), 2);
        index.AddImage(Demo);
        var image = index.Sources().Single(s => s.Kind == SourceKind.Image);
        var file = index.FilesOf(image.Id).OrderByDescending(f => f.Size).First();

        var found = index.FindFilesBySha256(file.Sha256, 10);
        Assert.Contains(found, f => f.SourceId == image.Id && f.Path == file.Path);
        Assert.Empty(index.FindFilesBySha256(new byte[32], 10));

        using var disk = DiskImage.Open(Demo);
        var part = Assert.Single(PartitionTable.Read(disk).Partitions);
        using var fs = FileSystemProbe.Open(new BlockSlice(disk, part.Offset, part.Length, "demo"));
        foreach (var id in index.ChunksOf(image.Id).Take(200))
        {
            var at = index.FindChunk(id);
            Assert.NotNull(at);
            var bytes = new byte[at.Length];
            if (at.Path is null)
            {
                disk.ReadAt(at.RawOffset!.Value + at.Offset, bytes);
            }
            else
            {
                // Either source (image or snapshot) may be named; both hold these bytes at that path.
                var source = at.Snapshot is null ? disk : DiskImage.Open($"{at.Location}@{at.Snapshot}");
                using var p = PartitionTable.Read(source).Partitions.Single() is var q ? new BlockSlice(source, q.Offset, q.Length, "x") : null;
                using var f = FileSystemProbe.Open(p!);
                using var s = f.OpenRead(f.GetEntry(at.Path));
                s.Seek(at.Offset, SeekOrigin.Begin);
                s.ReadExactly(bytes);
                if (!ReferenceEquals(source, disk))
                {
                    source.Dispose();
                }
            }

            Assert.Equal(id, ChunkHasher.Default.Hash(bytes));
        }

        Assert.Null(index.FindChunk(ChunkHasher.Default.Hash("not in the index"u8)));

        // Located all at once, every chunk gets the place FindChunk names; an unknown one none.
        var all = index.ChunksOf(image.Id).ToList();
        var unknown = ChunkHasher.Default.Hash("not in the index"u8);
        var located = index.LocateChunks([.. all, unknown]);
        Assert.Equal(all.Count, located.Count);
        Assert.All(all, id => Assert.Equal(index.FindChunk(id), located[id]));
        Assert.Empty(index.PackagesOf(image.Id)); // the demo guest has no dpkg database; debian12 is checked end to end
    }

    [Fact]
    public void Indexing_a_second_time_reads_nothing_and_a_changed_image_replaces_its_rows()
    {
        using var dir = new TempDirectory();
        var raw = dir.Combine("demo.raw");
        Tool.Run("qemu-img", "convert", "-O", "raw", Demo, raw);
        using var index = ContentIndex.Open(dir.Combine("data"), 2);
        var first = Assert.Single(index.AddImage(raw));
        Assert.Equal(AddOutcome.Added, first.Outcome);
        Assert.True(first.BytesRead > 0);
        var before = index.Summary();
        Assert.True(before.Files > 0);

        // Same size, same mtime, every byte zero: a second add that read anything would find no files.
        var mtime = File.GetLastWriteTimeUtc(raw);
        long size = new FileInfo(raw).Length;
        using (var f = new FileStream(raw, FileMode.Truncate))
        {
            f.SetLength(size);
        }

        File.SetLastWriteTimeUtc(raw, mtime);
        var second = Assert.Single(index.AddImage(raw));
        Assert.Equal(AddOutcome.Skipped, second.Outcome);
        Assert.Equal(0, second.BytesRead);
        Assert.Equal(before, index.Summary());

        // A new mtime: the image is read again and its old rows are gone.
        File.SetLastWriteTimeUtc(raw, mtime.AddSeconds(10));
        var third = Assert.Single(index.AddImage(raw));
        Assert.Equal(AddOutcome.Replaced, third.Outcome);
        var after = index.Summary();
        Assert.Equal(1, after.Sources);
        Assert.Equal(0, after.Files);
        Assert.Equal(0, after.Chunks);
    }

    [Fact]
    public void Backing_files_and_their_snapshots_are_sources_and_deleted_snapshots_lose_their_rows()
    {
        using var dir = new TempDirectory();
        var basePath = dir.Combine("base.qcow2");
        File.Copy(Demo, basePath);
        var overlay = dir.Combine("overlay.qcow2");
        Tool.Run("qemu-img", "create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", overlay);
        using var index = ContentIndex.Open(dir.Combine("data"), 2);

        var results = index.AddImage(overlay);
        Assert.Equal(
            [(SourceKind.Image, overlay, null), (SourceKind.Backing, basePath, null), (SourceKind.Snapshot, basePath, "before-edit")],
            results.Select(r => (r.Kind, r.Location, r.Snapshot)).ToList());
        Assert.All(results, r => Assert.Equal(AddOutcome.Added, r.Outcome));
        var sources = index.Sources();
        Assert.Equal(3, sources.Count);
        // The overlay holds no data of its own, but reads through to its backing file: same files.
        var overlayFiles = index.FilesOf(sources.Single(s => s.Location == overlay).Id).Select(f => (f.Path, Convert.ToHexStringLower(f.Sha256)));
        var baseFiles = index.FilesOf(sources.Single(s => s.Kind == SourceKind.Backing).Id).Select(f => (f.Path, Convert.ToHexStringLower(f.Sha256)));
        Assert.Equal(baseFiles.Order(), overlayFiles.Order());

        Tool.Run("qemu-img", "snapshot", "-d", "before-edit", basePath);
        var again = index.AddImage(overlay);
        Assert.Equal(AddOutcome.Skipped, again[0].Outcome);
        Assert.Equal(AddOutcome.Replaced, again[1].Outcome); // its snapshot table changed
        Assert.Equal(2, again.Count);
        Assert.DoesNotContain(index.Sources(), s => s.Kind == SourceKind.Snapshot);
        Assert.Equal(2, index.Summary().Sources);
    }

    [Fact]
    public void A_missing_or_corrupt_image_fails_alone_and_writes_nothing()
    {
        using var dir = new TempDirectory();
        var bad = dir.Combine("bad.qcow2");
        var bytes = File.ReadAllBytes(Demo);
        bytes.AsSpan(20, 4).Fill(0xff); // cluster_bits out of range
        File.WriteAllBytes(bad, bytes);
        using var index = ContentIndex.Open(dir.Combine("data"), 2);

        var r = Assert.Single(index.AddImage(bad));
        Assert.Equal(AddOutcome.Failed, r.Outcome);
        Assert.IsType<InvalidDataException>(r.Exception);
        Assert.Contains("bad.qcow2", r.Error, StringComparison.Ordinal);
        var missing = Assert.Single(index.AddImage(dir.Combine("absent.qcow2")));
        Assert.IsType<FileNotFoundException>(missing.Exception);
        Assert.Equal(0, index.Summary().Sources);
    }

    [Fact]
    public void A_source_that_cannot_get_the_write_lock_fails_with_a_message_and_leaves_the_index_as_it_was()
    {
        using var dir = new TempDirectory();
        using var index = ContentIndex.Open(dir.Combine("data"), 2, busyTimeoutSeconds: 1);
        using (var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={index.File};Pooling=False"))
        {
            other.Open();
            using var hold = other.BeginTransaction(); // BEGIN IMMEDIATE: holds the write lock
            var results = index.AddImage(Demo);
            var r = Assert.Single(results);
            Assert.Equal(AddOutcome.Failed, r.Outcome);
            Assert.IsType<IOException>(r.Exception);
            Assert.Contains("another process is writing the index", r.Error, StringComparison.Ordinal);
        }

        Assert.Equal(0, index.Summary().Sources);
        Assert.Equal(2, index.AddImage(Demo).Count(r => r.Outcome == AddOutcome.Added));
    }
}

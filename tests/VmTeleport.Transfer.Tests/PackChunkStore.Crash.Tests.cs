using System.Diagnostics;
using System.Globalization;
using VmTeleport.Content.Chunking;
using VmTeleport.TestSupport;
using VmTeleport.Transfer.Store;

namespace VmTeleport.Transfer.Tests;

/// <summary>
/// What a killed process, a power loss or a full disk leaves in a pack store, and what the next
/// open makes of it: every whole record kept, the torn rest cut off, never a chunk with wrong bytes.
/// </summary>
public sealed class PackChunkStoreCrashTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("vmt-pack-crash-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_store_never_disposed_reopens_with_every_chunk_including_those_after_the_last_index_batch()
    {
        var store = new PackChunkStore(_root);
        var chunks = Enumerable.Range(0, 1500).Select(i => ChunkSamples.Make(20, i, 512, 4096)).ToList();
        foreach (var (id, data) in chunks)
        {
            store.Write(id, data);
        }

        store.Abandon();
        using (var reopened = new PackChunkStore(_root))
        {
            Assert.Equal(1500 - 1024, reopened.RecoveredOnOpen);
            Assert.Equal(0, reopened.TruncatedOnOpen);
            AssertHolds(reopened, chunks);
        }

        using var again = new PackChunkStore(_root);
        Assert.Equal(0, again.RecoveredOnOpen);
        AssertHolds(again, chunks);
    }

    [Fact]
    public void A_pack_cut_anywhere_reopens_with_exactly_the_records_that_end_before_the_cut()
    {
        var source = Path.Combine(_root, "source");
        var chunks = Enumerable.Range(0, 1500).Select(i => ChunkSamples.Make(21, i, 1024, 4096)).ToList();
        var store = new PackChunkStore(source, packBytes: 2 << 20);
        foreach (var (id, data) in chunks)
        {
            store.Write(id, data);
        }

        var locations = chunks.ToDictionary(c => c.Id, c => store.LocationOf(c.Id));
        store.Abandon();
        int last = locations.Values.Max(l => l.Pack);
        Assert.True(last > 0, "the chunks should fill more than one pack");
        var lastPath = Path.Combine("packs", last.ToString("D6", CultureInfo.InvariantCulture) + ".pack");
        long size = new FileInfo(Path.Combine(source, lastPath)).Length;
        var inLast = locations.Values.Where(l => l.Pack == last).OrderBy(l => l.Offset).ToList();

        // Random cuts, and the edges: just the header, a record's exact end, one byte short of it,
        // inside a header, inside the indexed part (the first 1024 chunks) and after it.
        var random = new Random(21);
        var cuts = new List<long> { 8, inLast[0].End, inLast[5].End - 1, inLast[10].Offset + 20, inLast[^1].End - 1, size };
        cuts.AddRange(Enumerable.Range(0, 10).Select(_ => random.NextInt64(8, size)));
        foreach (var cut in cuts)
        {
            var trial = Path.Combine(_root, "cut-" + cut.ToString(CultureInfo.InvariantCulture));
            CopyDirectory(source, trial);
            TruncateFile(Path.Combine(trial, lastPath), cut);

            var expected = chunks.Where(c => locations[c.Id].Pack < last || locations[c.Id].End <= cut).ToList();
            long wholeEnd = inLast.Where(l => l.End <= cut).Select(l => l.End).DefaultIfEmpty(8).Max();
            using (var reopened = new PackChunkStore(trial))
            {
                Assert.Equal(cut - wholeEnd, reopened.TruncatedOnOpen);
                AssertHolds(reopened, expected);
            }

            using (var again = new PackChunkStore(trial))
            {
                Assert.Equal(0, again.RecoveredOnOpen);
                Assert.Equal(0, again.TruncatedOnOpen);
                AssertHolds(again, expected);
            }
        }
    }

    [Fact]
    public void Garbage_zeros_or_a_record_with_wrong_bytes_after_the_last_record_are_cut_and_a_whole_record_kept()
    {
        var source = Path.Combine(_root, "source");
        var chunks = Enumerable.Range(0, 300).Select(i => ChunkSamples.Make(22, i)).ToList();
        var store = new PackChunkStore(source);
        foreach (var (id, data) in chunks)
        {
            store.Write(id, data);
        }

        store.Abandon();
        var pack = Path.Combine("packs", "000000.pack");
        long size = new FileInfo(Path.Combine(source, pack)).Length;

        var garbage = new byte[1000];
        new Random(22).NextBytes(garbage);
        var (extraId, extraData) = ChunkSamples.Make(22, 1000);
        var lying = new byte[PackRecordHeader.Size + 5000];
        new PackRecordHeader(extraId, 5000).WriteTo(lying);
        var whole = new byte[PackRecordHeader.Size + extraData.Length];
        new PackRecordHeader(extraId, extraData.Length).WriteTo(whole);
        extraData.CopyTo(whole, PackRecordHeader.Size);

        var cases = new (string Name, byte[] Tail, int Kept)[]
        {
            ("garbage", garbage, 0),
            ("zeros", new byte[4096], 0),
            ("header-with-wrong-bytes", lying, 0),
            ("whole-record-then-garbage", [.. whole, .. garbage], whole.Length),
        };
        foreach (var (name, tail, kept) in cases)
        {
            var trial = Path.Combine(_root, name);
            CopyDirectory(source, trial);
            using (var file = new FileStream(Path.Combine(trial, pack), FileMode.Append))
            {
                file.Write(tail);
            }

            using var reopened = new PackChunkStore(trial);
            Assert.Equal(tail.Length - kept, reopened.TruncatedOnOpen);
            Assert.Equal(size + kept, new FileInfo(Path.Combine(trial, pack)).Length);
            AssertHolds(reopened, kept > 0 ? [.. chunks, (extraId, extraData)] : chunks);
            Assert.Equal(kept > 0, reopened.Contains(extraId));
        }
    }

    [Fact]
    public void A_deleted_damaged_or_torn_index_is_rebuilt_from_the_packs()
    {
        var source = Path.Combine(_root, "source");
        var chunks = Enumerable.Range(0, 2500).Select(i => ChunkSamples.Make(23, i, 256, 2048)).ToList();
        using (var store = new PackChunkStore(source))
        {
            foreach (var (id, data) in chunks)
            {
                store.Write(id, data);
            }
        }

        var cases = new (string Name, Action<string> Damage, int Recovered)[]
        {
            ("deleted", index => File.Delete(index), 2500),
            ("entry-1000-damaged", index => PackChunkStoreTests.FlipByte(index, 8 + (1000 * 56) + 40), 1500),
            ("torn-entry", index => TruncateFile(index, 8 + (2000 * 56) + 30), 500),
        };
        foreach (var (name, damage, recovered) in cases)
        {
            var trial = Path.Combine(_root, name);
            CopyDirectory(source, trial);
            damage(Path.Combine(trial, "index"));
            using (var reopened = new PackChunkStore(trial))
            {
                Assert.Equal(recovered, reopened.RecoveredOnOpen);
                AssertHolds(reopened, chunks);
            }

            using var again = new PackChunkStore(trial);
            Assert.Equal(0, again.RecoveredOnOpen);
            Assert.Equal(8 + (2500 * 56), new FileInfo(Path.Combine(trial, "index")).Length);
        }
    }

    [Fact]
    public void A_writer_process_killed_at_random_moments_leaves_exactly_a_prefix_of_what_it_wrote()
    {
        var assembly = typeof(PackWriterChild).Assembly.Location;
        var random = new Random(24);
        int printed = 0;
        for (int round = 0; round < 4; round++)
        {
            // The child rewrites from chunk 0 (duplicates are no-ops), so each round kills it further on.
            int target = printed + random.Next(100, 1500);
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { assembly, "pack-writer", _root, "24" })
            {
                info.ArgumentList.Add(a);
            }

            using var child = Process.Start(info)!;
            int seen = -1;
            while (seen < target && child.StandardOutput.ReadLine() is { } line)
            {
                if (line != "open")
                {
                    seen = int.Parse(line, CultureInfo.InvariantCulture);
                }
            }

            child.Kill(); // SIGKILL: no Dispose, no finally, no index flush
            child.WaitForExit();
            Assert.True(seen >= target, $"the writer stopped by itself at chunk {seen} (exit {child.ExitCode})");
            printed = seen + 1;

            using var store = new PackChunkStore(_root);
            Assert.True(store.Count >= printed, $"round {round}: {printed} writes returned, the store holds {store.Count}");
            AssertHolds(store, Enumerable.Range(0, store.Count).Select(i => ChunkSamples.Make(24, i)).ToList());
        }
    }

    [Fact]
    public void A_full_disk_fails_the_write_naming_the_store_and_leaves_it_consistent_and_usable()
    {
        var mount = Directory.CreateTempSubdirectory("vmt-full-").FullName;
        ExternalCommand.Check("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount);
        try
        {
            var root = Path.Combine(mount, "store");
            var store = new PackChunkStore(root);
            var written = new List<(ChunkId Id, byte[] Data)>();
            IOException? full = null;
            for (int i = 0; i < 200 && full is null; i++)
            {
                var chunk = ChunkSamples.Make(25, i, 20 << 10, 30 << 10);
                try
                {
                    store.Write(chunk.Id, chunk.Data);
                    written.Add(chunk);
                }
                catch (IOException e)
                {
                    full = e;
                }
            }

            Assert.NotNull(full);
            Assert.Contains(root, full.Message, StringComparison.Ordinal);
            var failed = ChunkSamples.Make(25, written.Count);
            Assert.False(store.Contains(failed.Id));

            // The pack ends at its last whole record: the partial one was cut off at once.
            Assert.Equal(store.LocationOf(written[^1].Id).End, new FileInfo(Path.Combine(root, "packs", "000000.pack")).Length);
            AssertHolds(store, written);

            // With room again the same store goes on.
            ExternalCommand.Check("mount", "-o", "remount,size=4m", mount);
            store.Write(failed.Id, failed.Data);
            written.Add(failed);
            store.Dispose();

            using var reopened = new PackChunkStore(root);
            Assert.Equal(0, reopened.TruncatedOnOpen);
            AssertHolds(reopened, written);
        }
        finally
        {
            ExternalCommand.Run("umount", [mount]);
            Directory.Delete(mount);
        }
    }

    /// <summary>The store holds exactly these chunks, each reading back byte for byte.</summary>
    private static void AssertHolds(PackChunkStore store, IReadOnlyList<(ChunkId Id, byte[] Data)> chunks)
    {
        Assert.Equal(chunks.Select(c => c.Id).ToHashSet(), store.Enumerate().ToHashSet());
        Assert.Equal(chunks.Count, store.Count);
        Assert.Equal(chunks.Sum(c => (long)c.Data.Length), store.Bytes);
        foreach (var (id, data) in chunks)
        {
            Assert.True(store.TryRead(id, out var read), $"chunk {id} is listed but does not read back");
            Assert.True(data.AsSpan().SequenceEqual(read), $"chunk {id} read back different bytes");
        }
    }

    private static void TruncateFile(string path, long length)
    {
        using var file = new FileStream(path, FileMode.Open);
        file.SetLength(length);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        }

        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }
}

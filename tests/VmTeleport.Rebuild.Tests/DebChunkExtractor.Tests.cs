using VmTeleport.Content.Chunking;
using VmTeleport.Content.Index;
using VmTeleport.Rebuild.Pull;
using VmTeleport.TestSupport;
using VmTeleport.Transfer.Store;

namespace VmTeleport.Rebuild.Tests;

/// <summary>Chunks taken out of real Debian packages, each archive read once, every chunk checked by the store.</summary>
public sealed class DebChunkExtractorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmt-debx-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private (ContentIndex Index, Dictionary<ChunkId, ChunkLocation> Wanted) IndexDebs(params string[] names)
    {
        var debs = Directory.GetFiles(Fixtures.Path("debian", "debs"), "*.deb")
            .Where(d => names.Any(n => Path.GetFileName(d).StartsWith(n + "_", StringComparison.Ordinal)))
            .Select(d => File.Exists(Path.Combine(_dir, Path.GetFileName(d))) ? Path.Combine(_dir, Path.GetFileName(d)) : CopyIn(d))
            .ToList();
        Assert.Equal(names.Length, debs.Count);
        var index = ContentIndex.Open(Path.Combine(_dir, "data"));
        index.AddDebs(debs);
        var wanted = new Dictionary<ChunkId, ChunkLocation>();
        foreach (var source in index.Sources())
        {
            foreach (var id in index.ChunksOf(source.Id))
            {
                wanted[id] = index.FindChunk(id)!;
            }
        }

        return (index, wanted);
    }

    private string CopyIn(string deb)
    {
        var copy = Path.Combine(_dir, Path.GetFileName(deb));
        File.Copy(deb, copy);
        return copy;
    }

    [Fact]
    public void Every_chunk_of_the_packages_is_extracted_and_stored_intact()
    {
        var (index, wanted) = IndexDebs("bash", "coreutils", "tzdata");
        using (index)
        {
            var store = new DirectoryChunkStore(Path.Combine(_dir, "chunks"));
            var (stored, bytes) = DebChunkExtractor.Extract(wanted, store, threads: 2);

            Assert.Equal(wanted.Keys.Order(), stored.Order());
            Assert.Equal(wanted.Values.Sum(l => (long)l.Length), bytes);
            foreach (var id in wanted.Keys)
            {
                Assert.True(store.TryRead(id, out var data), id.ToString());
                Assert.Equal(wanted[id].Length, data.Length);
            }
        }
    }

    [Fact]
    public void A_package_changed_after_indexing_gives_up_its_chunks_to_the_wire_with_a_warning_and_stores_nothing_wrong()
    {
        var (index, wanted) = IndexDebs("bash", "coreutils");
        using (index)
        {
            var damaged = wanted.Values.First(l => Path.GetFileName(l.Location).StartsWith("bash_", StringComparison.Ordinal)).Location;
            var bytes = File.ReadAllBytes(damaged);
            Array.Fill(bytes, (byte)0x5a, bytes.Length / 2, bytes.Length / 2);
            File.WriteAllBytes(damaged, bytes);
            var warnings = new List<string>();
            var store = new DirectoryChunkStore(Path.Combine(_dir, "chunks"));

            var (stored, _) = DebChunkExtractor.Extract(wanted, store, threads: 2, warn: warnings.Add);

            var fromBash = wanted.Where(w => w.Value.Location == damaged).Select(w => w.Key).ToHashSet();
            var fromCoreutils = wanted.Keys.Where(k => !fromBash.Contains(k)).ToHashSet();
            Assert.Subset(stored.ToHashSet(), fromCoreutils);
            Assert.True(fromBash.Except(stored).Any(), "some of the damaged package's chunks must be left to the wire");
            Assert.Contains(warnings, w => w.Contains(damaged, StringComparison.Ordinal));
            Assert.All(stored, id => Assert.True(store.TryRead(id, out _)));
        }
    }
}

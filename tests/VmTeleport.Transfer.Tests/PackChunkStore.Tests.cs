using System.Buffers.Binary;
using System.Text;
using VmTeleport.Content.Chunking;
using VmTeleport.Transfer.Store;

namespace VmTeleport.Transfer.Tests;

/// <summary>The pack store's contract: round trip, reopen, refusals, damage, concurrency, one process at a time, its byte format.</summary>
public sealed class PackChunkStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("vmt-pack-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Chunks_written_read_back_byte_for_byte_through_both_reads()
    {
        using var store = new PackChunkStore(_root);
        var chunks = Enumerable.Range(0, 50).Select(i => ChunkSamples.Make(1, i, 0, 40_000)).ToList();
        foreach (var (id, data) in chunks)
        {
            Assert.False(store.Contains(id));
            store.Write(id, data);
            Assert.True(store.Contains(id));
        }

        var buffer = new byte[40_000];
        foreach (var (id, data) in chunks)
        {
            Assert.True(store.TryRead(id, out var read));
            Assert.Equal(data, read);
            Assert.True(store.TryRead(id, buffer, out var length));
            Assert.Equal(data, buffer[..length]);
            Assert.True(store.TryGetLength(id, out var known));
            Assert.Equal(data.Length, known);
        }

        Assert.Equal(50, store.Count);
        Assert.Equal(chunks.Sum(c => (long)c.Data.Length), store.Bytes);
        Assert.Equal(chunks.Select(c => c.Id).ToHashSet(), store.Enumerate().ToHashSet());

        var absent = ChunkSamples.Make(2, 0).Id;
        Assert.False(store.Contains(absent));
        Assert.False(store.TryRead(absent, out var none));
        Assert.Empty(none);
        Assert.False(store.TryRead(absent, buffer, out _));
        Assert.Throws<ArgumentException>(() => store.TryRead(chunks.First(c => c.Data.Length > 10).Id, new byte[10], out _));
    }

    [Fact]
    public void A_reopened_store_sees_every_chunk_across_rolled_over_packs_and_appends_after_them()
    {
        var chunks = Enumerable.Range(0, 200).Select(i => ChunkSamples.Make(3, i)).ToList();
        using (var store = new PackChunkStore(_root, packBytes: 256 << 10))
        {
            foreach (var (id, data) in chunks.Take(150))
            {
                store.Write(id, data);
            }
        }

        var packs = Directory.GetFiles(Path.Combine(_root, "packs"));
        Assert.True(packs.Length > 5, $"150 chunks of ~17 KiB in 256 KiB packs should make several packs, made {packs.Length}");
        Assert.All(packs, p => Assert.True(new FileInfo(p).Length <= 256 << 10, $"{p} is past the roll-over size"));

        using (var store = new PackChunkStore(_root, packBytes: 256 << 10))
        {
            Assert.Equal(150, store.Count);
            Assert.Equal(0, store.RecoveredOnOpen);
            Assert.Equal(0, store.TruncatedOnOpen);
            foreach (var (id, data) in chunks.Take(150))
            {
                Assert.True(store.TryRead(id, out var read));
                Assert.Equal(data, read);
            }

            foreach (var (id, data) in chunks.Skip(150))
            {
                store.Write(id, data);
            }
        }

        using var again = new PackChunkStore(_root, packBytes: 256 << 10);
        Assert.Equal(200, again.Count);
        Assert.Equal(chunks.Sum(c => (long)c.Data.Length), again.Bytes);
        Assert.All(chunks, c => Assert.True(again.TryRead(c.Id, out var read) && read.AsSpan().SequenceEqual(c.Data)));
    }

    [Fact]
    public void Bytes_not_hashing_to_the_id_are_refused_and_nothing_is_stored()
    {
        using var store = new PackChunkStore(_root);
        var (id, data) = ChunkSamples.Make(4, 0);
        var pack = Path.Combine(_root, "packs", "000000.pack");
        var before = new FileInfo(pack).Length;
        var wrong = (byte[])data.Clone();
        wrong[^1] ^= 1;

        var e = Assert.Throws<InvalidDataException>(() => store.Write(id, wrong));
        Assert.Contains(id.ToString(), e.Message, StringComparison.Ordinal);
        Assert.False(store.Contains(id));
        Assert.Equal(0, store.Count);
        Assert.Equal(before, new FileInfo(pack).Length);
    }

    [Fact]
    public void Writing_a_stored_chunk_again_adds_nothing()
    {
        using var store = new PackChunkStore(_root);
        var (id, data) = ChunkSamples.Make(5, 0);
        store.Write(id, data);
        var pack = Path.Combine(_root, "packs", "000000.pack");
        var length = new FileInfo(pack).Length;
        store.Write(id, data);
        store.Write(id, data);
        Assert.Equal(length, new FileInfo(pack).Length);
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void A_second_instance_on_the_same_root_is_refused_naming_the_directory_until_the_first_is_disposed()
    {
        var first = new PackChunkStore(_root);
        var (id, data) = ChunkSamples.Make(6, 0);
        first.Write(id, data);

        var e = Assert.Throws<IOException>(() => new PackChunkStore(_root));
        Assert.Contains(_root, e.Message, StringComparison.Ordinal);
        Assert.Contains("another vmteleport process", e.Message, StringComparison.Ordinal);
        Assert.True(first.TryRead(id, out _), "the refused open must not disturb the holder");

        first.Dispose();
        using var second = new PackChunkStore(_root);
        Assert.True(second.Contains(id));
    }

    [Fact]
    public void A_flipped_byte_in_a_stored_chunk_makes_it_absent_now_and_after_reopen_until_written_again()
    {
        var chunks = Enumerable.Range(0, 20).Select(i => ChunkSamples.Make(7, i)).ToList();
        var (victim, victimData) = chunks[7];
        long offset;
        using (var store = new PackChunkStore(_root))
        {
            foreach (var (id, data) in chunks)
            {
                store.Write(id, data);
            }

            offset = store.LocationOf(victim).DataOffset;
        }

        var pack = Path.Combine(_root, "packs", "000000.pack");
        FlipByte(pack, offset + victimData.Length / 2);

        using (var store = new PackChunkStore(_root))
        {
            Assert.True(store.Contains(victim), "Contains does not read the chunk: it cannot know yet");
            Assert.False(store.TryRead(victim, out var read));
            Assert.Empty(read);
            Assert.False(store.Contains(victim));
            Assert.Equal(19, store.Count);
            Assert.Equal(chunks.Sum(c => (long)c.Data.Length) - victimData.Length, store.Bytes);
            Assert.DoesNotContain(victim, store.Enumerate());
            Assert.All(chunks.Where(c => c.Id != victim), c => Assert.True(store.TryRead(c.Id, out _)));
        }

        // Reopened (as a killed process would, without Dispose): the drop was recorded in the index.
        var reopened = new PackChunkStore(_root);
        Assert.False(reopened.Contains(victim));
        reopened.Write(victim, victimData);
        Assert.True(reopened.TryRead(victim, out var rewritten));
        Assert.Equal(victimData, rewritten);
        reopened.Abandon();

        using var last = new PackChunkStore(_root);
        Assert.Equal(20, last.Count);
        Assert.True(last.TryRead(victim, out var final));
        Assert.Equal(victimData, final);
    }

    [Fact]
    public void Verify_drops_every_damaged_chunk_and_keeps_the_rest()
    {
        var chunks = Enumerable.Range(0, 30).Select(i => ChunkSamples.Make(8, i)).ToList();
        using var store = new PackChunkStore(_root);
        foreach (var (id, data) in chunks)
        {
            store.Write(id, data);
        }

        var pack = Path.Combine(_root, "packs", "000000.pack");
        FlipByte(pack, store.LocationOf(chunks[3].Id).DataOffset);
        FlipByte(pack, store.LocationOf(chunks[20].Id).DataOffset + 100);
        Assert.Equal(2, store.Verify());
        Assert.Equal(28, store.Count);
        Assert.False(store.Contains(chunks[3].Id));
        Assert.False(store.Contains(chunks[20].Id));
        Assert.Equal(0, store.Verify());
    }

    [Fact]
    public void Many_threads_writing_and_reading_at_once_lose_nothing_and_a_reopen_sees_it_all()
    {
        var chunks = Enumerable.Range(0, 3000).Select(i => ChunkSamples.Make(9, i, 1 << 10, 8 << 10)).ToList();
        using (var store = new PackChunkStore(_root, packBytes: 2 << 20))
        {
            // Each chunk written twice from different threads (duplicates are no-ops), and read back at once.
            Parallel.For(0, chunks.Count * 2, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            {
                var (id, data) = chunks[i % chunks.Count];
                store.Write(id, data);
                Assert.True(store.TryRead(id, out var read));
                Assert.Equal(data, read);
            });
            Assert.Equal(chunks.Count, store.Count);
            Assert.Equal(chunks.Sum(c => (long)c.Data.Length), store.Bytes);
        }

        // Every byte of every pack is a record: no two writers interleaved or left a gap.
        long records = Directory.GetFiles(Path.Combine(_root, "packs")).Sum(p => new FileInfo(p).Length - 8);
        Assert.Equal(chunks.Sum(c => (long)c.Data.Length + PackRecordHeader.Size), records);

        using var reopened = new PackChunkStore(_root);
        Assert.Equal(chunks.Count, reopened.Count);
        Assert.Equal(0, reopened.TruncatedOnOpen);
        Parallel.ForEach(chunks, c => Assert.True(reopened.TryRead(c.Id, out var read) && read.AsSpan().SequenceEqual(c.Data)));
    }

    [Fact]
    public void The_files_are_exactly_as_docs_chunk_store_md_describes()
    {
        var data = "hello, pack"u8.ToArray();
        var id = ChunkHasher.Default.Hash(data);
        using (var store = new PackChunkStore(_root))
        {
            store.Write(id, data);
        }

        var pack = File.ReadAllBytes(Path.Combine(_root, "packs", "000000.pack"));
        Assert.Equal(8 + 48 + data.Length, pack.Length);
        Assert.Equal("VMTPACK1", Encoding.ASCII.GetString(pack, 0, 8));
        var record = pack.AsSpan(8);
        Assert.Equal("VCHK", Encoding.ASCII.GetString(pack, 8, 4));
        Assert.Equal((uint)data.Length, BinaryPrimitives.ReadUInt32LittleEndian(record[4..]));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(record[8..]));
        Assert.Equal(id.ToArray(), record.Slice(12, 32).ToArray());
        Assert.Equal(Crc32C.Compute(record[..44]), BinaryPrimitives.ReadUInt32LittleEndian(record[44..]));
        Assert.Equal(data, record[48..].ToArray());

        var index = File.ReadAllBytes(Path.Combine(_root, "index"));
        Assert.Equal(8 + 56, index.Length);
        Assert.Equal("VMTINDX1", Encoding.ASCII.GetString(index, 0, 8));
        var entry = index.AsSpan(8);
        Assert.Equal(id.ToArray(), entry[..32].ToArray());
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(entry[32..]));
        Assert.Equal((uint)data.Length, BinaryPrimitives.ReadUInt32LittleEndian(entry[36..]));
        Assert.Equal(8L, BinaryPrimitives.ReadInt64LittleEndian(entry[40..]));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(entry[48..]));
        Assert.Equal(Crc32C.Compute(entry[..52]), BinaryPrimitives.ReadUInt32LittleEndian(entry[52..]));
    }

    [Fact]
    public void Crc32C_is_the_castagnoli_crc_of_the_specification()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0u, Crc32C.Compute([]));
        // RFC 3720 B.4: 32 bytes of zeros.
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
    }

    internal static void FlipByte(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        int b = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(b ^ 0x10));
    }
}

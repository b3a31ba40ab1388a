using VmTeleport.Content.Chunking;
using VmTeleport.Content.Tests.Support;

namespace VmTeleport.Content.Tests.Chunking;

/// <summary>The property content-defined chunking exists for: an edit moves only nearby boundaries.</summary>
public sealed class FastCdcInsertionTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(70_000)]
    public void An_insertion_changes_only_the_chunks_around_it(int inserted)
    {
        var cdc = new FastCdc(ChunkerOptions.Default);
        var original = TestBytes.SplitMix(21, 8 << 20);
        var at = 4 << 20;
        byte[] edited = [.. original.AsSpan(0, at), .. TestBytes.SplitMix(99, inserted), .. original.AsSpan(at)];

        var before = ChunkReader.Split(new MemoryStream(original), cdc, ChunkHasher.Default).ToList();
        var after = ChunkReader.Split(new MemoryStream(edited), cdc, ChunkHasher.Default).ToList();

        // Every chunk that ends before the insertion point is unchanged, offset and all.
        var prefix = before.TakeWhile(c => c.End <= at).ToList();
        Assert.Equal(prefix, after.Take(prefix.Count));

        // After it, the chunks of the original tail come back (shifted): all but a few near the edit.
        var tailIds = before.Where(c => c.Offset >= at).Select(c => c.Id).ToList();
        var afterIds = after.Select(c => c.Id).ToHashSet();
        var kept = tailIds.Count(afterIds.Contains);
        Assert.True(kept >= tailIds.Count - 3, $"{kept} of {tailIds.Count} chunks after the insertion survived");
        var editedNew = after.Count(c => !before.Select(b => b.Id).Contains(c.Id));
        Assert.InRange(editedNew, 1, 3 + inserted / ChunkerOptions.Default.MinSize);
    }
}

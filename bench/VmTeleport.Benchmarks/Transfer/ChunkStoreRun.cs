using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VmTeleport.Content.Chunking;
using VmTeleport.Transfer.Store;

namespace VmTeleport.Benchmarks.Transfer;

/// <summary>
/// "chunk-store write|read pack|directory DIR [CHUNKS] [THREADS]": the chunk stores side by side for
/// bench/chunk-store.sh. CHUNKS (default 80,000) random chunks of 2–32 KiB (mean ~8.6 KiB), sliced from a 64 MiB
/// random pool at random offsets (the same for every run: seed 1), ids computed before the clock
/// starts. "write" stores them from THREADS threads (default 4, as the client's 4 HTTP/2 streams),
/// closes, reopens, asks Contains of each and reads each back in random order; "read" reopens and
/// reads only (the script drops the page cache before it). Prints one JSON object.
/// </summary>
public static class ChunkStoreRun
{
    public static int Run(string[] args)
    {
        if (args.Length < 3 || args[0] is not ("write" or "read") || args[1] is not ("pack" or "directory"))
        {
            Console.Error.WriteLine("usage: chunk-store write|read pack|directory DIR [CHUNKS] [THREADS]");
            return 2;
        }

        bool write = args[0] == "write";
        bool pack = args[1] == "pack";
        var dir = args[2];
        int count = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 80_000;
        int threads = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 4;

        var random = new Random(1);
        var pool = new byte[64 << 20];
        random.NextBytes(pool);
        var spans = new (int Offset, int Length)[count];
        for (int i = 0; i < count; i++)
        {
            // 2 KiB + exponential, at most 32 KiB: mean ~8.6 KiB, as FastCDC's chunks of the Debian 12
            // image (79,853 chunks, 660.7 MiB), so 80,000 chunks are about the 650 MB of a real fetch.
            int length = (int)Math.Min(32 << 10, (2 << 10) - (6.6 * 1024 * Math.Log(1 - random.NextDouble())));
            spans[i] = (random.Next(pool.Length - length), length);
        }

        var ids = new ChunkId[count];
        Parallel.For(0, count, i => ids[i] = ChunkHasher.Default.Hash(pool.AsSpan(spans[i].Offset, spans[i].Length)));
        long bytes = spans.Sum(s => (long)s.Length);
        var order = Enumerable.Range(0, count).ToArray();
        random.Shuffle(order);

        var result = new Dictionary<string, object>
        {
            ["store"] = args[1],
            ["phase"] = args[0],
            ["chunks"] = count,
            ["bytes"] = bytes,
            ["threads"] = threads,
        };
        var clock = Stopwatch.StartNew();
        if (write)
        {
            var store = Open(pack, dir);
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads },
                i => store.Write(ids[i], pool.AsSpan(spans[i].Offset, spans[i].Length)));
            result["write_s"] = Seconds(clock);
            clock.Restart();
            (store as IDisposable)?.Dispose();
            result["close_s"] = Seconds(clock);
        }

        clock.Restart();
        var reopened = Open(pack, dir);
        int found = reopened is PackChunkStore p ? p.Count : ((DirectoryChunkStore)reopened).Enumerate().Count();
        result["reopen_s"] = Seconds(clock);
        if (found != count)
        {
            throw new InvalidOperationException($"reopened store holds {found} chunks, not {count}");
        }

        if (write)
        {
            clock.Restart();
            foreach (var i in order)
            {
                if (!reopened.Contains(ids[i]))
                {
                    throw new InvalidOperationException($"chunk {ids[i]} missing");
                }
            }

            result["contains_s"] = Seconds(clock);
        }

        clock.Restart();
        Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            if (!reopened.TryRead(ids[i], out var data) || data.Length != spans[i].Length)
            {
                throw new InvalidOperationException($"chunk {ids[i]} did not read back");
            }
        });
        result["read_s"] = Seconds(clock);
        (reopened as IDisposable)?.Dispose();
        Console.Out.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    private static IChunkStore Open(bool pack, string dir) => pack ? new PackChunkStore(dir) : new DirectoryChunkStore(dir);

    private static double Seconds(Stopwatch clock) => Math.Round(clock.Elapsed.TotalSeconds, 3);
}

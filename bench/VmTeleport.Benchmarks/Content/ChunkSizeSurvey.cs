using System.Diagnostics;
using System.Globalization;
using VmTeleport.Content.Chunking;

namespace VmTeleport.Benchmarks.Content;

/// <summary>
/// Measures what an average chunk size costs and saves on real files: corpus A plays what the
/// destination already has, corpus B what the source must send. Every regular file is chunked on
/// its own, as the transfer will. Prints a markdown table (bench/chunk-sizes.sh keeps it).
/// </summary>
public static class ChunkSizeSurvey
{
    /// <summary>What a chunk reference costs in a manifest: a 32-byte id and an 8-byte length/offset.</summary>
    private const int ReferenceBytes = 40;

    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: chunk-sizes CORPUS_A CORPUS_B [AVG_KIB,...]");
            return 2;
        }

        var a = Files(args[0]);
        var b = Files(args[1]);
        var sizes = args.Length > 2
            ? args[2].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture) * 1024).ToArray()
            : [2 * 1024, 4 * 1024, 8 * 1024, 16 * 1024, 32 * 1024, 64 * 1024];

        // Warm the page cache so the first size does not pay for the disk.
        foreach (var f in a.Concat(b))
        {
            using var s = File.OpenRead(f);
            s.CopyTo(Stream.Null);
        }

        Console.WriteLine($"A = {args[0]}: {a.Count} files, {Mib(a.Sum(f => new FileInfo(f).Length))} MiB");
        Console.WriteLine($"B = {args[1]}: {b.Count} files, {Mib(b.Sum(f => new FileInfo(f).Length))} MiB");
        Console.WriteLine();
        Console.WriteLine($"| avg | min/max | chunks in B | mean chunk | B bytes found in A | B bytes to send | ids for B | send + ids | chunk+{ChunkHasher.Default.Name} MB/s |");
        Console.WriteLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var avg in sizes)
        {
            var cdc = new FastCdc(new ChunkerOptions(avg / 4, avg, avg * 4));
            var known = new HashSet<ChunkId>();
            var watch = Stopwatch.StartNew();
            long aBytes = 0;
            foreach (var f in a)
            {
                foreach (var c in Chunks(f, cdc))
                {
                    known.Add(c.Id);
                    aBytes += c.Length;
                }
            }

            var seconds = watch.Elapsed.TotalSeconds;
            long bBytes = 0, found = 0, send = 0, chunks = 0;
            var sent = new HashSet<ChunkId>();
            foreach (var f in b)
            {
                foreach (var c in Chunks(f, cdc))
                {
                    chunks++;
                    bBytes += c.Length;
                    if (known.Contains(c.Id))
                    {
                        found += c.Length;
                    }
                    else if (sent.Add(c.Id))
                    {
                        send += c.Length;
                    }
                }
            }

            var ids = chunks * ReferenceBytes;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {avg / 1024} KiB | {Kib(avg / 4)}/{Kib(avg * 4)} KiB | {chunks:N0} | {bBytes / (double)Math.Max(chunks, 1) / 1024:F1} KiB " +
                $"| {100.0 * found / Math.Max(bBytes, 1):F2} % | {Mib(send)} MiB | {Mib(ids)} MiB | {Mib(send + ids)} MiB " +
                $"| {aBytes / 1e6 / seconds:F0} |"));
        }

        return 0;
    }

    private static IEnumerable<Chunk> Chunks(string path, FastCdc cdc)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        foreach (var c in ChunkReader.Split(stream, cdc, ChunkHasher.Default))
        {
            yield return c;
        }
    }

    private static List<string> Files(string root) =>
        new DirectoryInfo(root).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(f => f.LinkTarget is null)
            .Select(f => f.FullName)
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string Kib(int bytes) => (bytes / 1024.0).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);
}

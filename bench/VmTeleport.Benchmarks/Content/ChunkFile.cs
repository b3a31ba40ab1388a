using System.Diagnostics;
using System.Globalization;
using VmTeleport.Content.Chunking;

namespace VmTeleport.Benchmarks.Content;

/// <summary>"chunk-file FILE [sha256|blake3|none]": chunks and hashes one file with the default options,
/// for bench/chunk-vs-tools.sh to set beside zstd and sha256sum. Prints "CHUNKS BYTES SECONDS".</summary>
public static class ChunkFile
{
    public static int Run(string[] args)
    {
        ChunkHasher hasher = args.Length > 1 && args[1] == "blake3" ? new Blake3ChunkHasher() : new Sha256ChunkHasher();
        var cdc = new FastCdc(ChunkerOptions.Default);
        using var stream = new FileStream(args[0], FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var watch = Stopwatch.StartNew();
        long chunks = 0, bytes = 0;
        if (args.Length > 1 && args[1] == "none")
        {
            // Boundaries only: the same buffer discipline as ChunkReader, without the hash.
            var buffer = new byte[2 * cdc.Options.MaxSize];
            int start = 0, end = 0;
            var eof = false;
            while (true)
            {
                if (end - start < cdc.Options.MaxSize && !eof)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    start = 0;
                    int n;
                    while (end < buffer.Length && (n = stream.Read(buffer, end, buffer.Length - end)) > 0)
                    {
                        end += n;
                    }

                    eof = end < buffer.Length;
                }

                if (end == start)
                {
                    break;
                }

                var length = cdc.NextBoundary(buffer.AsSpan(start, end - start));
                start += length;
                bytes += length;
                chunks++;
            }
        }
        else
        {
            var reader = new ChunkReader(stream, cdc, hasher);
            while (reader.TryReadNext(out var chunk, out _))
            {
                chunks++;
                bytes += chunk.Length;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{chunks} {bytes} {watch.Elapsed.TotalSeconds:F3}"));
        return 0;
    }
}

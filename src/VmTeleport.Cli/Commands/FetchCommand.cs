using System.Buffers;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VmTeleport.Transfer.Client;
using VmTeleport.Transfer.Protocol;
using VmTeleport.Transfer.Store;

namespace VmTeleport.Cli.Commands;

/// <summary>
/// `vmteleport fetch https://HOST:PORT/NAME --token-file F --fingerprint FP [--data-dir DIR]
/// [--json]`: a developer's view of the transfer: fetches the description, the manifest and every
/// chunk not yet in the pack store DATA_DIR/chunks (docs/chunk-store.md), and says how many bytes crossed the wire.
/// </summary>
public static class FetchCommand
{
    public static Command Create()
    {
        var (url, tokenFile, fingerprint) = CommonOptions.Agent();
        var dataDir = new Option<string?>("--data-dir") { Description = "Where the chunk store (chunks/) and the fetched description and manifest (fetched/NAME/) go.", HelpName = "DIR" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object of counts, bytes and seconds." };
        var codec = new Option<string>("--codec") { Description = "Compression of chunk frames: zstd (default), brotli or none.", DefaultValueFactory = _ => "zstd" };
        var parallel = new Option<int>("--parallel") { Description = "Batch requests in flight at once (HTTP/2 streams).", DefaultValueFactory = _ => 4 };
        var command = new Command("fetch", "Fetch a served VM's description, manifest and every chunk not yet stored, and report wire bytes and seconds.")
        {
            url, tokenFile, fingerprint, dataDir, json, codec, parallel,
        };
        command.SetAction(r => CommandRunner.Run(() => Run(r.GetValue(url)!, r.GetValue(tokenFile)!, r.GetValue(fingerprint)!,
            r.GetValue(dataDir), r.GetValue(json), r.GetValue(codec)!, r.GetValue(parallel))));
        return command;
    }

    private static int Run(string url, string tokenFile, string fingerprintText, string? dataDir, bool json, string codecName, int parallel)
    {
        if (!ChunkCompression.TryParse(codecName, out var codec))
        {
            throw new UsageException($"--codec {codecName}: zstd, brotli or none");
        }

        if (parallel < 1)
        {
            throw new UsageException("--parallel must be at least 1");
        }

        var address = AgentAddress.Parse(url, tokenFile, fingerprintText);
        var data = DataDirectory.Resolve(dataDir);
        // One pack store per data directory: a second fetch into it is refused while this one runs.
        using var store = new PackChunkStore(Path.Combine(data, "chunks"));
        using var client = address.Connect(new AgentClientOptions { Codec = codec, Parallelism = parallel });
        var total = Stopwatch.StartNew();

        var name = address.ResolveVm(client);
        var clock = Stopwatch.StartNew();
        var description = client.DescriptionAsync(name).GetAwaiter().GetResult();
        var descriptionSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var manifest = client.ManifestAsync(name).GetAwaiter().GetResult();
        var manifestSeconds = clock.Elapsed.TotalSeconds;

        var outDir = Path.Combine(data, "fetched", name);
        Directory.CreateDirectory(outDir);
        WriteAtomically(Path.Combine(outDir, "description.json"), w => w.Write(System.Text.Encoding.UTF8.GetBytes(description)));
        WriteAtomically(Path.Combine(outDir, "manifest.jsonl"), w =>
        {
            var buffer = new ArrayBufferWriter<byte>();
            foreach (var item in manifest.Items)
            {
                ManifestLines.Write(buffer, item);
            }

            w.Write(buffer.WrittenSpan);
        });

        var distinct = manifest.DistinctChunks();
        var result = client.FetchChunksAsync(manifest, distinct, store).GetAwaiter().GetResult();
        var seconds = total.Elapsed.TotalSeconds;
        var rawTotal = distinct.Sum(c => (long)c.Length);
        if (json)
        {
            var doc = new Dictionary<string, object?>
            {
                ["vm"] = name,
                ["items"] = manifest.Items.Count,
                ["distinct_chunks"] = distinct.Count,
                ["distinct_bytes"] = rawTotal,
                ["already_stored"] = result.AlreadyStored,
                ["fetched"] = result.Fetched,
                ["fetched_bytes"] = result.RawBytes,
                ["requested_ids"] = result.RequestedIds,
                ["corrupt"] = result.Corrupt,
                ["failed_requests"] = result.FailedRequests,
                ["codec"] = ChunkCompression.Name(codec),
                ["manifest_wire_body_bytes"] = manifest.WireBodyBytes,
                ["payload_bytes"] = result.PayloadBytes,
                ["wire_bytes"] = client.WireBytesReceived,
                ["wire_bytes_sent"] = client.WireBytesSent,
                ["seconds"] = new Dictionary<string, double>
                {
                    ["description"] = Math.Round(descriptionSeconds, 3),
                    ["manifest"] = Math.Round(manifestSeconds, 3),
                    ["chunks"] = Math.Round(result.Seconds, 3),
                    ["total"] = Math.Round(seconds, 3),
                },
                ["store"] = store.Root,
            };
            Console.Out.WriteLine(JsonSerializer.Serialize(doc));
        }
        else
        {
            var c = CultureInfo.InvariantCulture;
            Console.Out.WriteLine(string.Create(c, $"{name}: {manifest.Items.Count} items, {distinct.Count} distinct chunks ({Size.Format(rawTotal)})"));
            Console.Out.WriteLine(string.Create(c, $"already stored {result.AlreadyStored}, fetched {result.Fetched} ({Size.Format(result.RawBytes)}), corrupt and refetched {result.Corrupt}, failed requests {result.FailedRequests}"));
            Console.Out.WriteLine(string.Create(c, $"wire bytes {client.WireBytesReceived} received, {client.WireBytesSent} sent ({ChunkCompression.Name(codec)})"));
            Console.Out.WriteLine(string.Create(c, $"seconds: description {descriptionSeconds:F2}, manifest {manifestSeconds:F2}, chunks {result.Seconds:F2}, total {seconds:F2}"));
        }

        return ExitCodes.Success;
    }

    private static void WriteAtomically(string path, Action<Stream> write)
    {
        var partial = path + ".partial";
        using (var file = File.Create(partial))
        {
            write(file);
        }

        File.Move(partial, path, overwrite: true);
    }
}

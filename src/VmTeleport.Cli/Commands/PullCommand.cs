using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VmTeleport.Content.Index;
using VmTeleport.Guests;
using VmTeleport.Guests.Hardware;
using VmTeleport.Rebuild;
using VmTeleport.Rebuild.Pull;
using VmTeleport.Rebuild.Verification;
using VmTeleport.Transfer.Client;
using VmTeleport.Transfer.Protocol;
using VmTeleport.Transfer.Store;

namespace VmTeleport.Cli.Commands;

/// <summary>
/// `vmteleport pull https://HOST:PORT[/NAME] --token-file F --fingerprint FP --output DIR/NAME.qcow2
/// [--define] [--json]`: the teleport's destination side (docs/pull.md). Fetches the description,
/// manifest and layout; finds every chunk it can locally (chunk store, indexed images, indexed
/// .debs); fetches only the rest; rebuilds the disk; verifies it against the source's layout and
/// manifest; only then renames it into place and writes (and optionally defines) the domain.
/// </summary>
public static class PullCommand
{
    public static Command Create()
    {
        var (url, tokenFile, fingerprint) = CommonOptions.Agent();
        var output = new Option<string>("--output", "-o") { Description = "The qcow2 to write (must not exist). The domain XML goes beside it as NAME.xml.", HelpName = "FILE", Required = true };
        var dataDir = CommonOptions.IndexDataDir();
        var define = new Option<bool>("--define") { Description = "Register the new domain with `virsh define` (needs libvirt and a description with hardware)." };
        var connect = new Option<string?>("--connect", "-c") { Description = "libvirt URI for --define (default: $LIBVIRT_DEFAULT_URI, else qemu:///system).", HelpName = "URI" };
        var domainType = new Option<string?>("--domain-type") { Description = "kvm or qemu (default: kvm where /dev/kvm exists, else qemu).", HelpName = "TYPE" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: wire and local bytes, seconds per phase, peak memory, exact." };
        var parallel = new Option<int>("--parallel") { Description = "Chunk batch requests in flight at once (HTTP/2 streams).", DefaultValueFactory = _ => 4 };
        var threads = new Option<int>("--threads") { Description = "Threads for reading packages and verifying.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("pull", "Teleport a VM from a source agent: fetch only what no local image or package holds, rebuild, verify, deploy.")
        {
            url, tokenFile, fingerprint, output, dataDir, define, connect, domainType, json, parallel, threads,
        };
        command.SetAction(r => CommandRunner.Run(() => Run(new Request(
            r.GetValue(url)!, r.GetValue(tokenFile)!, r.GetValue(fingerprint)!, r.GetValue(output)!, r.GetValue(dataDir),
            r.GetValue(define), r.GetValue(connect), r.GetValue(domainType), r.GetValue(json), r.GetValue(parallel), r.GetValue(threads)))));
        return command;
    }

    private sealed record Request(string Url, string TokenFile, string Fingerprint, string Output, string? DataDir,
        bool Define, string? Connect, string? DomainType, bool Json, int Parallel, int Threads);

    private static int Run(Request q)
    {
        if (q.Parallel < 1 || q.Threads < 1)
        {
            throw new UsageException("--parallel and --threads must be at least 1");
        }

        var address = AgentAddress.Parse(q.Url, q.TokenFile, q.Fingerprint);
        var output = Path.GetFullPath(q.Output);
        if (File.Exists(output))
        {
            throw new IOException($"{output} already exists; not overwriting it");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        using var outputLock = OutputLock.Take(output);
        var data = DataDirectory.Resolve(q.DataDir);
        return PhaseDisplay.Run(live: !Console.IsErrorRedirected, log: !q.Json || !Console.IsErrorRedirected, display => Pull(q, address, output, data, display));
    }

    private static int Pull(Request q, AgentAddress address, string output, string data, PhaseDisplay display)
    {
        var total = Stopwatch.StartNew();
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        T Phase<T>(string name, long size, Func<long>? done, Func<T> work)
        {
            var clock = Stopwatch.StartNew();
            var value = display.Phase(name, size, done, work);
            seconds[name] = Math.Round(clock.Elapsed.TotalSeconds, 3);
            return value;
        }

        using var client = address.Connect(new AgentClientOptions { Parallelism = q.Parallel });
        var (vm, description, manifest, layout) = Phase("fetch_description", 0, null, () =>
        {
            var vm = address.ResolveVm(client);
            var description = client.DescriptionAsync(vm).GetAwaiter().GetResult();
            var manifest = client.ManifestAsync(vm).GetAwaiter().GetResult();
            return (vm, description, manifest, client.LayoutAsync(manifest).GetAwaiter().GetResult());
        });
        var hardware = DescriptionJson.HardwareOf(description, $"description of {address.Uri}");

        // One pack store per data directory: a second pull into it is refused while this one runs.
        var (store, index) = Phase("index", 0, null, () => (new PackChunkStore(Path.Combine(data, "chunks")), ContentIndex.Open(data)));
        using var storeLifetime = store;
        using var indexLifetime = index;

        var sourcing = Phase("plan", 0, null, () => ChunkSourcing.Plan(manifest.Items, index, store));
        display.Log(string.Create(CultureInfo.InvariantCulture,
            $"{vm}: {Size.Format(sourcing.StoredBytes)} already stored, {Size.Format(sourcing.LocalBytes)} in local images, {Size.Format(sourcing.DebBytes)} in local packages, {Size.Format(sourcing.WireBytes)} to fetch"));

        long storedBefore = store.Bytes;
        var (extracted, extractedBytes) = Phase("extract_packages", sourcing.DebBytes, () => store.Bytes - storedBefore,
            () => DebChunkExtractor.Extract(sourcing.Debs, store, q.Threads, warn: display.Log));
        var wire = sourcing.Wire.Concat(sourcing.Debs.Where(d => !extracted.Contains(d.Key)).Select(d => new Content.Images.ChunkSpan(d.Key, d.Value.Length))).ToList();

        long wireRaw = wire.Sum(c => (long)c.Length);
        storedBefore = store.Bytes;
        var fetched = Phase("transfer", wireRaw, () => store.Bytes - storedBefore,
            () => client.FetchChunksAsync(manifest, wire, store).GetAwaiter().GetResult());

        using var reader = new LocalChunkReader();
        var provider = new AssembledContentProvider(store, sourcing.Local, reader, chunk =>
        {
            client.FetchChunksAsync(manifest, [chunk], store).GetAwaiter().GetResult();
            return store.TryRead(chunk.Id, out var bytes) ? bytes : null;
        });
        ComparisonReport? report = null;
        long bytes = manifest.Items.Sum(i => i.Size);
        var result = Phase("rebuild", bytes, () => provider.BytesFromStore + provider.BytesFromLocalImages + provider.BytesRefetched, () =>
        {
            try
            {
                return DiskRebuilder.Rebuild(layout, provider, output, partial =>
                {
                    report = LayoutVerification.Compare(layout, partial, q.Threads, cap: 20);
                    return report.Exact;
                });
            }
            catch (InvalidDataException) when (report is { Exact: false } differs)
            {
                foreach (var d in differs.Differences)
                {
                    display.Log($"differs: {d.Scope} {d.Path} {d.Field}: {d.Source} → {d.Target}");
                }

                throw;
            }
        });

        double verifySeconds = result.Phases.Where(p => p.Phase == "verify").Sum(p => p.Seconds);
        seconds["rebuild"] = Math.Round(seconds["rebuild"] - verifySeconds, 3);
        seconds["verify"] = Math.Round(verifySeconds, 3);
        display.Log($"rebuilt and verified {output}");

        var domainXml = Phase<string?>("deploy", 0, null, () =>
        {
            string? domainXml = null;
            if (hardware is not null)
            {
                var name = Path.GetFileNameWithoutExtension(output);
                domainXml = Path.ChangeExtension(output, ".xml");
                var xml = DomainDefinition.Create(hardware, name, output, "qcow2", q.DomainType ?? (File.Exists("/dev/kvm") ? "kvm" : "qemu"));
                File.WriteAllText(domainXml + ".partial", xml);
                File.Move(domainXml + ".partial", domainXml, overwrite: true);
                if (q.Define)
                {
                    DeployCommand.Define(domainXml, q.Connect, name);
                }
            }
            else if (q.Define)
            {
                throw new NotSupportedException($"--define: the agent was started without --domain-xml, so the source's hardware is unknown; {output} is in place, write its domain with `vmteleport deploy`");
            }

            return domainXml;
        });
        seconds["total"] = Math.Round(total.Elapsed.TotalSeconds, 3);
        var localByKind = sourcing.LocalBytesByKind().ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
        localByKind["chunk_store"] = sourcing.StoredBytes;
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        if (q.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["vm"] = vm,
                ["output"] = output,
                ["exact"] = report?.Exact,
                ["wire_bytes"] = client.WireBytesReceived,
                ["wire_bytes_sent"] = client.WireBytesSent,
                ["bytes"] = bytes,
                ["duplicate_bytes"] = sourcing.DuplicateBytes,
                ["local_bytes"] = localByKind,
                ["packages_extracted_bytes"] = extractedBytes,
                ["wire_chunks"] = wire.Count,
                ["wire_raw_bytes"] = wireRaw,
                ["fetched_chunks"] = fetched.Fetched,
                ["corrupt_chunks_refetched"] = fetched.Corrupt,
                ["failed_requests"] = fetched.FailedRequests,
                ["local_bytes_refetched"] = provider.BytesRefetched,
                ["rebuild_phases"] = result.Phases.ToDictionary(p => p.Phase, p => p.Seconds),
                ["seconds"] = seconds,
                ["peak_memory_bytes"] = peak,
                ["domain_xml"] = domainXml,
                ["defined"] = q.Define && domainXml is not null,
            }));
        }
        else
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{output}: verified exact; {Size.Format(client.WireBytesReceived)} over the wire, {Size.Format(localByKind.Values.Sum())} found locally, {total.Elapsed.TotalSeconds:F1} s"));
            if (domainXml is not null)
            {
                Console.Out.WriteLine($"{domainXml}: domain{(q.Define ? " (defined)" : "")}");
            }
        }

        return ExitCodes.Success;
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VmTeleport.Content.Index;
using VmTeleport.Content.Planning;
using VmTeleport.Guests;
using VmTeleport.Guests.Hardware;
using VmTeleport.Rebuild;
using VmTeleport.Rebuild.Functional;
using VmTeleport.Rebuild.Pull;
using VmTeleport.Rebuild.Verification;
using VmTeleport.Transfer.Client;
using VmTeleport.Transfer.Store;

namespace VmTeleport.Cli.Commands;

/// <summary>
/// `vmteleport pull https://HOST:PORT[/NAME] --token-file F --fingerprint FP --output DIR/NAME.qcow2
/// [--method auto|teleport|copy] [--bandwidth RATE] [--define] [--json]`: the teleport's destination
/// side (docs/pull.md). Fetches the description, manifest and layout; finds every chunk it can
/// locally (chunk store, indexed images, indexed .debs); decides whether teleporting the rest or
/// a plain copy of the image file finishes first at the link's rate; then either fetches only
/// the missing chunks and rebuilds the disk, or copies the file; verifies the result against the
/// source's layout and manifest; only then renames it into place and writes (and optionally
/// defines) the domain.
/// </summary>
public static partial class PullCommand
{
    public static Command Create()
    {
        var (url, tokenFile, fingerprint) = CommonOptions.Agent();
        var output = new Option<string>("--output", "-o") { Description = "The qcow2 to write (must not exist). The domain XML goes beside it as NAME.xml.", HelpName = "FILE", Required = true };
        var dataDir = CommonOptions.IndexDataDir();
        var define = new Option<bool>("--define") { Description = "Register the new domain with `virsh define` (needs libvirt and a description with hardware)." };
        var connect = new Option<string?>("--connect", "-c") { Description = "libvirt URI for --define (default: $LIBVIRT_DEFAULT_URI, else qemu:///system).", HelpName = "URI" };
        var domainType = new Option<string?>("--domain-type") { Description = "kvm or qemu (default: kvm where /dev/kvm exists, else qemu).", HelpName = "TYPE" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: the decision, wire and local bytes, seconds per phase, peak memory, exact." };
        var parallel = new Option<int>("--parallel") { Description = "Chunk batch requests in flight at once (HTTP/2 streams).", DefaultValueFactory = _ => 4 };
        var threads = new Option<int>("--threads") { Description = "Threads for reading packages and verifying.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var method = new Option<string>("--method")
        {
            Description = "auto: whichever of teleport and a plain copy of the image file is estimated to finish first at the link's rate; teleport or copy: that one.",
            HelpName = "METHOD",
            DefaultValueFactory = _ => "auto",
        };
        method.AcceptOnlyFromAmong("auto", "teleport", "copy");
        var bandwidth = new Option<string?>("--bandwidth") { Description = "The link's rate (e.g. 10MB/s, 80mbit, 1GB/s) for the decision, instead of measuring it with a probe.", HelpName = "RATE" };
        var allowNewer = new Option<string?>("--allow-newer")
        {
            Description = "A functional copy: install packages at newer versions from local archives of the source's release (release, the default) or of its -security and -updates suites only (security), instead of fetching the old versions' files.",
            HelpName = "release|security",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var noFetch = new Option<bool>("--no-fetch") { Description = "Do not fetch the archives of the source's packages from indexed APT repositories (by default they are fetched, checked and indexed before planning)." };
        var saveMissing = new Option<string?>("--save-missing") { Description = "Measurement aid: write the raw bytes of the chunks the plan sent over the wire, concatenated in plan order (teleport only).", HelpName = "FILE" };
        var command = new Command("pull", "Teleport a VM from a source agent: fetch only what no local image or package holds (or copy its image when that is faster), rebuild, verify, deploy.")
        {
            url, tokenFile, fingerprint, output, dataDir, define, connect, domainType, json, parallel, threads, method, bandwidth, saveMissing, allowNewer, noFetch,
        };
        command.SetAction(r => CommandRunner.Run(() => Run(new Request(
            r.GetValue(url)!, r.GetValue(tokenFile)!, r.GetValue(fingerprint)!, r.GetValue(output)!, r.GetValue(dataDir),
            r.GetValue(define), r.GetValue(connect), r.GetValue(domainType), r.GetValue(json), r.GetValue(parallel), r.GetValue(threads),
            r.GetValue(method)!, r.GetValue(bandwidth), r.GetValue(saveMissing),
            r.GetResult(allowNewer) is { } newer ? (newer.Tokens.Count == 0 ? "release" : newer.Tokens[0].Value) : null,
            r.GetValue(noFetch)))));
        return command;
    }

    private sealed record Request(string Url, string TokenFile, string Fingerprint, string Output, string? DataDir,
        bool Define, string? Connect, string? DomainType, bool Json, int Parallel, int Threads,
        string Method, string? Bandwidth, string? SaveMissing, string? AllowNewer, bool NoFetch);

    private static int Run(Request q)
    {
        if (q.Parallel < 1 || q.Threads < 1)
        {
            throw new UsageException("--parallel and --threads must be at least 1");
        }

        if (q.SaveMissing is not null && q.Method == "copy")
        {
            throw new UsageException("--save-missing writes the chunks a teleport fetches; a plain copy (--method copy) fetches none");
        }

        if (q.AllowNewer is not null)
        {
            _ = ParsePolicy(q.AllowNewer);
        }

        double? bandwidth = q.Bandwidth is null ? null : Bandwidth.Parse(q.Bandwidth);
        var address = AgentAddress.Parse(q.Url, q.TokenFile, q.Fingerprint);
        var output = Path.GetFullPath(q.Output);
        if (File.Exists(output))
        {
            throw new IOException($"{output} already exists; not overwriting it");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        using var outputLock = OutputLock.Take(output);
        var data = DataDirectory.Resolve(q.DataDir);
        return PhaseDisplay.Run(live: !Console.IsErrorRedirected, log: !q.Json || !Console.IsErrorRedirected, display => Pull(q, address, output, data, bandwidth, display));
    }

    private static int Pull(Request q, AgentAddress address, string output, string data, double? bandwidth, PhaseDisplay display)
    {
        var phases = new PullPhases(display);
        using var client = address.Connect(new AgentClientOptions { Parallelism = q.Parallel });
        var (vm, description, offer, manifest, layout) = phases.Run("fetch_description", 0, null, () =>
        {
            var vm = address.ResolveVm(client);
            var (description, offer) = client.DescribeAsync(vm).GetAwaiter().GetResult();
            var manifest = client.ManifestAsync(vm).GetAwaiter().GetResult();
            return (vm, description, offer, manifest, client.LayoutAsync(manifest).GetAwaiter().GetResult());
        });
        var hardware = DescriptionJson.HardwareOf(description, $"description of {address.Uri}");

        // One pack store per data directory: a second pull into it is refused while this one runs.
        var (store, index) = phases.Run("index", 0, null, () => (new PackChunkStore(Path.Combine(data, "chunks")), ContentIndex.Open(data)));
        using var storeLifetime = store;
        using var indexLifetime = index;

        var described = DescribedPackages.FromJson(description, $"description of {vm}");
        // --allow-newer: every package planned (exact, newer, or sent exactly) before any content moves.
        var newerPlan = q.AllowNewer is null ? null
            : phases.Run("plan_packages", 0, null, () => PlanNewer(q, client, manifest, layout, described, index, store, display));
        IReadOnlyList<Content.Images.ContentItem> Needed() => newerPlan is null ? manifest.Items
            : manifest.Items.Where(i => i.GuestPath is null || !newerPlan.Skipped.Contains(i.GuestPath)).ToList();
        // The source's packages (and the newer ones chosen) that an indexed repository serves
        // and no local .deb holds: fetched from the mirror first, so their files come from there.
        var archives = q.NoFetch ? null : phases.Run("fetch_archives", 0, null, () => ArchiveFetch.ForSource(index,
            described.Packages, newerPlan?.Choices ?? []));
        if (archives is { Fetched: > 0 } || archives is { Failed.Count: > 0 })
        {
            display.Log($"fetched {archives.Fetched} package archive(s) ({Size.Format(archives.Bytes)}) from indexed repositories"
                + (archives.Failed.Count > 0 ? $"; {archives.Failed.Count} failed: {string.Join("; ", archives.Failed.Take(5))}" : ""));
        }

        var sourcing = phases.Run("plan", 0, null, () => ChunkSourcing.Plan(Needed(), index, store));
        display.Log(string.Create(CultureInfo.InvariantCulture,
            $"{vm}: {Size.Format(sourcing.StoredBytes)} already stored, {Size.Format(sourcing.LocalBytes)} in local images, {Size.Format(sourcing.DebBytes)} in local packages, {Size.Format(sourcing.WireBytes)} to fetch"));

        long bytes = manifest.Items.Sum(i => i.Size);
        var copy = offer is { Possible: true } ? new ImageCopy(output, offer.Format) : null;
        var decision = Decide(q, client, phases, offer, sourcing, copy, manifest.ImageState, bytes, bandwidth);
        display.Log("decision: " + decision.Reason);
        if (decision.Method == "copy")
        {
            if (q.SaveMissing is not null)
            {
                display.Log($"--save-missing: {q.SaveMissing} not written, a plain copy fetches no chunks");
            }

            return PullCopy(q, client, phases, output, vm, manifest, layout, hardware, offer!, copy!, decision, bytes);
        }

        // A plain copy an earlier run left behind would only be in the way now.
        copy?.Discard();
        long extractedBytes = 0, wireRaw = 0;
        var wire = new List<Content.Images.ChunkSpan>();
        FetchResult? fetched = null;
        using var reader = new LocalChunkReader();
        ComparisonReport? report = null;

        // A plan's package chunks extracted and its wire chunks fetched into the store; then the
        // provider that assembles the planned content from there and the local images.
        AssembledContentProvider Fetch(ChunkSourcing round, bool phased)
        {
            T Step<T>(string name, long size, Func<long>? done, Func<T> work) => phased ? phases.Run(name, size, done, work) : work();
            long storedBefore = store.Bytes;
            var (extracted, extractedNow) = Step("extract_packages", round.DebBytes, () => store.Bytes - storedBefore,
                () => DebChunkExtractor.Extract(round.Debs, store, q.Threads, warn: display.Log));
            extractedBytes += extractedNow;
            var roundWire = round.Wire.Concat(round.Debs.Where(d => !extracted.Contains(d.Key)).Select(d => new Content.Images.ChunkSpan(d.Key, d.Value.Length))).ToList();
            wire.AddRange(roundWire);
            long roundRaw = roundWire.Sum(c => (long)c.Length);
            wireRaw += roundRaw;
            storedBefore = store.Bytes;
            var got = Step("transfer", roundRaw, () => store.Bytes - storedBefore,
                () => client.FetchChunksAsync(manifest, roundWire, store).GetAwaiter().GetResult());
            fetched = fetched is null ? got : got with { Fetched = fetched.Fetched + got.Fetched, Corrupt = fetched.Corrupt + got.Corrupt, FailedRequests = fetched.FailedRequests + got.FailedRequests };
            if (!phased)
            {
                display.Log($"  {Size.Format(extractedNow)} from package archives, {roundWire.Count} chunk(s) ({Size.Format(roundRaw)}) over the wire");
            }

            return new AssembledContentProvider(store, round.Local, reader, chunk =>
            {
                client.FetchChunksAsync(manifest, [chunk], store).GetAwaiter().GetResult();
                return store.TryRead(chunk.Id, out var bytes) ? bytes : null;
            });
        }

        var provider = Fetch(sourcing, phased: true);
        var functional = newerPlan is null || newerPlan.Upgrades.Count == 0 ? null : new FunctionalRebuild
        {
            Upgrades = newerPlan.Upgrades,
            SkippedGuestPaths = newerPlan.Skipped,
            KeepSourceGuestPaths = newerPlan.Keep,
            MountPoints = newerPlan.MountPoints,
            Log = display.Log,
            // The packages dpkg refuses are sent exactly after all: their files are fetched now
            // (only theirs: the rest is in the store) and the rebuild rolls them back in place.
            Refused = refused =>
            {
                FallBack(newerPlan, refused, described, client, manifest, layout, store, display);
                return Fetch(ChunkSourcing.Plan(Needed(), index, store), phased: false);
            },
        };
        var result = phases.Run("rebuild", bytes, () => provider.BytesFromStore + provider.BytesFromLocalImages + provider.BytesRefetched, () =>
        {
            try
            {
                return DiskRebuilder.Rebuild(layout, provider, output, partial =>
                {
                    report = LayoutVerification.Compare(layout, partial, q.Threads, cap: 20,
                        functional?.Result is { } r ? FunctionalScope.From(r, newerPlan!.MountPoints) : null);
                    return report.Accepted;
                }, functional: functional);
            }
            catch (InvalidDataException) when (report is { Accepted: false } differs)
            {
                LogDifferences(display, differs);
                throw;
            }
        });

        if (q.SaveMissing is not null)
        {
            SaveMissing(q.SaveMissing, wire, store);
        }

        double verifySeconds = result.Phases.Where(p => p.Phase == "verify").Sum(p => p.Seconds);
        phases.Seconds["rebuild"] = Math.Round(phases.Seconds["rebuild"] - verifySeconds, 3);
        phases.Seconds["verify"] = Math.Round(verifySeconds, 3);
        if (functional?.Result is { } installed)
        {
            File.WriteAllText($"{output}.dpkg.log", installed.DpkgOutput);
        }

        display.Log($"rebuilt and verified {output}" + (report is { Functional: true } ? ": " + VerifyCommand.Verdict(report) : ""));

        var domainXml = phases.Run("deploy", 0, null, () => Deploy(q, hardware, output));
        phases.Finish();
        // Where the bytes came from as planned (a rolled-back package's old files come on top: wire_raw_bytes counts them).
        var localByKind = sourcing.LocalBytesByKind().ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
        localByKind["chunk_store"] = sourcing.StoredBytes;
        PrintFinished(q, client, phases, vm, output, "teleport", report?.Exact, decision, bytes, new Dictionary<string, object?>
        {
            ["duplicate_bytes"] = sourcing.DuplicateBytes,
            ["local_bytes"] = localByKind,
            ["packages_extracted_bytes"] = extractedBytes,
            ["archives_fetched"] = archives is null ? null : new Dictionary<string, object?> { ["fetched"] = archives.Fetched, ["bytes"] = archives.Bytes, ["failed"] = archives.Failed },
            ["functional"] = report?.Functional ?? false,
            ["newer_packages"] = newerPlan is null ? null : NewerJson(newerPlan),
            ["explained_difference_count"] = report?.ExplainedDifferenceCount ?? 0,
            ["wire_chunks"] = wire.Count,
            ["wire_raw_bytes"] = wireRaw,
            ["fetched_chunks"] = fetched!.Fetched,
            ["corrupt_chunks_refetched"] = fetched.Corrupt,
            ["failed_requests"] = fetched.FailedRequests,
            ["local_bytes_refetched"] = provider!.BytesRefetched,
            ["rebuild_phases"] = result.Phases.ToDictionary(p => p.Phase, p => p.Seconds),
        }, string.Create(CultureInfo.InvariantCulture,
            $"{output}: verified {(report is { Functional: true } ? $"functional copy ({newerPlan!.Upgrades.Count} packages newer)" : "exact")}; {Size.Format(client.WireBytesReceived)} over the wire, {Size.Format(localByKind.Values.Sum())} found locally, {phases.Seconds["total"]:F1} s"), domainXml);

        return ExitCodes.Success;
    }

    /// <summary>Writes the wire chunks' raw bytes in plan order (a benchmark compresses them for the lower bound of what had to travel).</summary>
    private static void SaveMissing(string path, List<Content.Images.ChunkSpan> wire, PackChunkStore store)
    {
        var tmp = path + ".partial";
        using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            foreach (var chunk in wire)
            {
                f.Write(store.TryRead(chunk.Id, out var data) ? data : throw new IOException($"--save-missing: chunk {chunk.Id} is not in the store after the transfer"));
            }
        }

        File.Move(tmp, path, overwrite: true);
    }

    private static void LogDifferences(PhaseDisplay display, ComparisonReport report)
    {
        foreach (var d in report.Differences)
        {
            display.Log($"differs: {d.Scope} {d.Path} {d.Field}: {d.Source} → {d.Target}");
        }
    }

    /// <summary>The domain XML with the source's hardware beside OUTPUT (NAME.xml), and `virsh define` with --define.</summary>
    private static string? Deploy(Request q, DomainHardware? hardware, string output)
    {
        if (hardware is null)
        {
            return q.Define
                ? throw new NotSupportedException($"--define: the agent was started without --domain-xml, so the source's hardware is unknown; {output} is in place, write its domain with `vmteleport deploy`")
                : null;
        }

        var name = Path.GetFileNameWithoutExtension(output);
        var domainXml = Path.ChangeExtension(output, ".xml");
        var xml = DomainDefinition.Create(hardware, name, output, "qcow2", q.DomainType ?? (File.Exists("/dev/kvm") ? "kvm" : "qemu"));
        File.WriteAllText(domainXml + ".partial", xml);
        File.Move(domainXml + ".partial", domainXml, overwrite: true);
        if (q.Define)
        {
            DeployCommand.Define(domainXml, q.Connect, name);
        }

        return domainXml;
    }

    /// <summary>
    /// Prints a finished pull, teleport or copy: with --json one document, the fields both methods
    /// have around the method's own <paramref name="details"/>; otherwise <paramref name="summary"/>
    /// and the domain.
    /// </summary>
    private static void PrintFinished(Request q, AgentClient client, PullPhases phases, string vm, string output, string method, bool? exact,
        PullDecision decision, long bytes, Dictionary<string, object?> details, string summary, string? domainXml)
    {
        if (!q.Json)
        {
            Console.Out.WriteLine(summary);
            PrintDomain(q, domainXml);
            return;
        }

        var document = new Dictionary<string, object?>
        {
            ["vm"] = vm,
            ["output"] = output,
            ["method"] = method,
            ["exact"] = exact,
            ["decision"] = DecisionJson(decision),
            ["wire_bytes"] = client.WireBytesReceived,
            ["wire_bytes_sent"] = client.WireBytesSent,
            ["bytes"] = bytes,
        };
        foreach (var (key, value) in details)
        {
            document[key] = value;
        }

        document["seconds"] = phases.Seconds;
        document["peak_memory_bytes"] = Process.GetCurrentProcess().PeakWorkingSet64;
        document["domain_xml"] = domainXml;
        document["defined"] = q.Define && domainXml is not null;
        Console.Out.WriteLine(JsonSerializer.Serialize(document));
    }

    private static void PrintDomain(Request q, string? domainXml)
    {
        if (domainXml is not null)
        {
            Console.Out.WriteLine($"{domainXml}: domain{(q.Define ? " (defined)" : "")}");
        }
    }
}

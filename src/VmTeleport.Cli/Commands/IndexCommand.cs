using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using VmTeleport.Content.Index;

namespace VmTeleport.Cli.Commands;

/// <summary>
/// `vmteleport index add|list|scan`: the destination's content index (docs/content-index.md) of
/// its disk images, their snapshots and backing files, and its .deb archives.
/// </summary>
public static class IndexCommand
{
    private static readonly string[] ImageExtensions = [".qcow2", ".raw", ".img"];

    public static Command Create()
    {
        var dataDir = CommonOptions.IndexDataDir();
        dataDir.Recursive = true;
        var threads = new Option<int>("--threads")
        {
            Description = "Files read at the same time while indexing an image (default: one per CPU, at least 2).",
            DefaultValueFactory = _ => Math.Max(2, Environment.ProcessorCount),
            Recursive = true,
        };
        var command = new Command("index", "The destination's index of local content: disk images, their snapshots and backing files, .deb archives.")
        {
            dataDir, threads, Add(dataDir, threads), List(dataDir), Scan(dataDir, threads),
        };
        return command;
    }

    private static Command Add(Option<string?> dataDir, Option<int> threads)
    {
        var paths = new Argument<string[]>("PATH")
        {
            Description = "Disk images (raw or qcow2), .deb files, directories searched recursively for *.deb, *.qcow2, *.raw and *.img, or an APT Packages index (Packages, Packages.gz, Packages.xz; a path or an http(s):// URL).",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = JsonOption("Print what was added, replaced, skipped and failed as one JSON object.");
        var suite = new Option<string?>("--suite")
        {
            Description = "The APT suite the .debs belong to (e.g. bookworm, bookworm-security), and of a Packages index whose URL and Release file do not say; plan --allow-newer takes newer packages only from known suites.",
            HelpName = "SUITE",
        };
        var command = new Command("add", "Index disk images (current state, internal snapshots, backing files) and .deb archives; unchanged ones are skipped without reading.")
        {
            paths, json, suite,
        };
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var given = r.GetValue(suite);
            if (given is not null && !AptSuites.IsValid(given))
            {
                throw new UsageException($"--suite \"{given}\" is not a suite name (one word without '/' or spaces, e.g. bookworm-security)");
            }

            return AddAll(r.GetValue(dataDir), r.GetValue(threads), Expand(r.GetValue(paths)!), r.GetValue(json), given);
        }));
        return command;
    }

    private static Command List(Option<string?> dataDir)
    {
        var json = JsonOption("Print the sources and the index's totals as one JSON object.");
        var command = new Command("list", "List every indexed source: kind, location, snapshot, distribution, files, chunks, bytes, time indexed.") { json };
        command.SetAction(r => CommandRunner.Run(() =>
        {
            using var index = ContentIndex.Open(DataDirectory.Resolve(r.GetValue(dataDir)));
            var sources = index.Sources();
            if (r.GetValue(json))
            {
                var summary = index.Summary();
                var doc = new JsonObject
                {
                    ["index"] = index.File,
                    ["sources"] = new JsonArray([.. sources.Select(SourceJson)]),
                    ["summary"] = new JsonObject
                    {
                        ["sources"] = summary.Sources,
                        ["files"] = summary.Files,
                        ["regions"] = summary.Regions,
                        ["chunks"] = summary.Chunks,
                        ["distinct_chunks"] = summary.DistinctChunks,
                        ["bytes"] = summary.Bytes,
                        ["packages"] = summary.Packages,
                    },
                };
                Console.Out.WriteLine(doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Success;
            }

            foreach (var s in sources)
            {
                var distro = s.Distro is null ? s.Suite ?? "-" : $"{s.Distro} {s.DistroVersion}".Trim() + (s.Codename is null ? "" : $" ({s.Codename})");
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{s.Kind.Name(),-8} {s.Spec}  {distro}  {s.Files} files, {s.Regions} regions, {s.Chunks} chunks, {Size.Format(s.Bytes)}  {s.IndexedAt:yyyy-MM-dd HH:mm:ss}Z"));
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Scan(Option<string?> dataDir, Option<int> threads)
    {
        var libvirt = new Option<bool>("--libvirt") { Description = "Index the disk images of the libvirt domains on this host." };
        var libvirtDir = new Option<string>("--libvirt-dir")
        {
            Description = "libvirt's domain XML directory.",
            HelpName = "DIR",
            DefaultValueFactory = _ => LibvirtDisks.DefaultConfigDirectory,
        };
        var connect = new Option<string?>("--connect", "-c")
        {
            Description = "libvirt URI for virsh (default: $LIBVIRT_DEFAULT_URI, else qemu:///system).",
            HelpName = "URI",
        };
        var json = JsonOption("Print what was added, replaced, skipped and failed as one JSON object.");
        var command = new Command("scan", "Find disk images where the host keeps them and index them.") { libvirt, libvirtDir, connect, json };
        command.SetAction(r => CommandRunner.Run(() =>
        {
            if (!r.GetValue(libvirt))
            {
                throw new UsageException("index scan needs a place to look: --libvirt");
            }

            var notes = new List<string>();
            var images = LibvirtDisks.Find(r.GetValue(libvirtDir)!, r.GetValue(connect), notes);
            foreach (var note in notes)
            {
                Console.Error.WriteLine($"vmteleport: {note}");
            }

            return AddAll(r.GetValue(dataDir), r.GetValue(threads), [.. images.Select(i => (i, false))], r.GetValue(json));
        }));
        return command;
    }

    private static Option<bool> JsonOption(string description) => new("--json") { Description = description };

    /// <summary>Files as given; directories replaced by the .deb and image files under them. Each path: (path, is a .deb).</summary>
    private static List<(string Path, bool Deb)> Expand(string[] paths)
    {
        var list = new List<(string, bool)>();
        foreach (var p in paths)
        {
            if (IsPackagesIndex(p))
            {
                list.Add((p, false));
            }
            else if (Directory.Exists(p))
            {
                foreach (var f in Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    if (f.EndsWith(".deb", StringComparison.Ordinal))
                    {
                        list.Add((f, true));
                    }
                    else if (ImageExtensions.Any(e => f.EndsWith(e, StringComparison.Ordinal)))
                    {
                        list.Add((f, false));
                    }
                }
            }
            else if (File.Exists(p))
            {
                list.Add((p, IsDeb(p)));
            }
            else
            {
                throw new FileNotFoundException($"{p}: no such file or directory", p);
            }
        }

        return list;
    }

    /// <summary>An APT Packages index: an http(s) URL, or a file named Packages, Packages.gz or Packages.xz.</summary>
    private static bool IsPackagesIndex(string path) =>
        path.StartsWith("http://", StringComparison.Ordinal) || path.StartsWith("https://", StringComparison.Ordinal) ||
        Path.GetFileName(path) is "Packages" or "Packages.gz" or "Packages.xz";

    /// <summary>
    /// A file named *.deb, or any ar archive ("!&lt;arch&gt;\n"), is a .deb (so a damaged one is refused
    /// as a package, not indexed as a raw disk); anything else is taken for a disk image.
    /// </summary>
    private static bool IsDeb(string path)
    {
        if (path.EndsWith(".deb", StringComparison.Ordinal))
        {
            return true;
        }

        using var f = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[8];
        return f.ReadAtLeast(magic, 8, throwOnEndOfStream: false) == 8 && magic.SequenceEqual("!<arch>\n"u8);
    }

    private static int AddAll(string? dataDir, int threads, List<(string Path, bool Deb)> inputs, bool json, string? suite = null)
    {
        if (threads < 1)
        {
            throw new UsageException("--threads must be at least 1");
        }

        using var index = ContentIndex.Open(DataDirectory.Resolve(dataDir), threads);
        var results = new List<AddResult>();
        ProgressReporter.Run($"indexing {inputs.Count} path(s)", report =>
        {
            long items = 0, bytes = 0;
            var progress = new SynchronousProgress<IndexProgress>(p => report(items + p.Items, bytes + p.Bytes));
            // Consecutive .debs go in one batch, so that several are read at once.
            for (int i = 0; i < inputs.Count;)
            {
                int end = i + 1;
                while (inputs[i].Deb && end < inputs.Count && inputs[end].Deb)
                {
                    end++;
                }

                var added = inputs[i].Deb ? index.AddDebs(inputs.Skip(i).Take(end - i).Select(d => d.Path), suite, progress)
                    : IsPackagesIndex(inputs[i].Path) ? [index.AddAptRepository(inputs[i].Path, suite)]
                    : index.AddImage(inputs[i].Path, progress);
                i = end;
                foreach (var r in added)
                {
                    results.Add(r);
                    items += r.Items;
                    bytes += r.Bytes;
                    report(items, bytes);
                    if (!json)
                    {
                        Report(r);
                    }
                }
            }

            return 0;
        }, !Console.IsErrorRedirected);

        if (json)
        {
            var doc = new JsonObject
            {
                ["index"] = index.File,
                ["added"] = results.Count(r => r.Outcome == AddOutcome.Added),
                ["replaced"] = results.Count(r => r.Outcome == AddOutcome.Replaced),
                ["skipped"] = results.Count(r => r.Outcome == AddOutcome.Skipped),
                ["failed"] = results.Count(r => r.Outcome == AddOutcome.Failed),
                ["sources"] = new JsonArray([.. results.Select(ResultJson)]),
            };
            Console.Out.WriteLine(doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            foreach (var failed in results.Where(r => r.Outcome == AddOutcome.Failed))
            {
                Console.Error.WriteLine($"vmteleport: {Describe(failed)}");
            }
        }

        var firstFailure = results.FirstOrDefault(r => r.Outcome == AddOutcome.Failed);
        return firstFailure is null ? ExitCodes.Success
            : CommandRunner.ExitCodeOf(firstFailure.Exception!) ?? ExitCodes.Failure;
    }

    private static void Report(AddResult r)
    {
        if (r.Outcome == AddOutcome.Failed)
        {
            Console.Out.Flush();
            Console.Error.WriteLine($"vmteleport: {Describe(r)}");
            return;
        }

        var what = r.Outcome.ToString().ToLowerInvariant();
        Console.Out.WriteLine(r.Outcome == AddOutcome.Skipped
            ? $"{what} {r.Kind.Name()} {r.Spec} (unchanged)"
            : string.Create(CultureInfo.InvariantCulture,
                $"{what} {r.Kind.Name()} {r.Spec}: {r.Items} items, {r.Chunks} chunks, {Size.Format(r.Bytes)} in {r.Elapsed.TotalSeconds:0.0} s"));
    }

    private static string Describe(AddResult r) => r.Exception switch
    {
        InvalidDataException => $"corrupt input: {r.Error}",
        NotSupportedException => $"not supported: {r.Error}",
        _ => r.Error ?? "failed",
    };

    private static JsonObject ResultJson(AddResult r) => new()
    {
        ["kind"] = r.Kind.Name(),
        ["location"] = r.Location,
        ["snapshot"] = r.Snapshot,
        ["outcome"] = r.Outcome.ToString().ToLowerInvariant(),
        ["items"] = r.Items,
        ["chunks"] = r.Chunks,
        ["bytes"] = r.Bytes,
        ["bytes_read"] = r.BytesRead,
        ["seconds"] = Math.Round(r.Elapsed.TotalSeconds, 3),
        ["error"] = r.Error,
    };

    private static JsonObject SourceJson(IndexedSource s) => new()
    {
        ["id"] = s.Id,
        ["kind"] = s.Kind.Name(),
        ["location"] = s.Location,
        ["snapshot"] = s.Snapshot,
        ["format"] = s.Format,
        ["size"] = s.Size,
        ["distro"] = s.Distro,
        ["distro_version"] = s.DistroVersion,
        ["codename"] = s.Codename,
        ["suite"] = s.Suite,
        ["state"] = s.State,
        ["files"] = s.Files,
        ["regions"] = s.Regions,
        ["chunks"] = s.Chunks,
        ["bytes"] = s.Bytes,
        ["indexed_at"] = s.IndexedAt.ToString("O", CultureInfo.InvariantCulture),
    };

}

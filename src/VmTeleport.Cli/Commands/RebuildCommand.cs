using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using VmTeleport.Content.Layout;
using VmTeleport.Disks;
using VmTeleport.Rebuild;
using VmTeleport.Rebuild.Verification;

namespace VmTeleport.Cli.Commands;

/// <summary>
/// `vmteleport rebuild SOURCE_IMAGE[@SNAP] --output OUT.qcow2 [--json]`: rebuilds the disk from a
/// local copy of the source (docs/rebuild.md), verifies it against the source, and only then
/// renames OUT.qcow2.partial to OUT.qcow2.
/// </summary>
public static class RebuildCommand
{
    public static Command Create()
    {
        var image = CommonOptions.Image();
        var output = new Option<string>("--output") { Description = "The qcow2 to write (must not exist).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the result and seconds per phase as JSON." };
        var threads = new Option<int>("--threads") { Description = "Files hashed at the same time.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var stagingThreads = new Option<int>("--staging-threads")
        {
            Description = "Files staged at the same time (1: on one thread, the fastest with a local source on 2 cores).",
            DefaultValueFactory = _ => new RebuildOptions().Threads,
        };
        var memory = new Option<int>("--memory-mib")
        {
            Description = "MiB of /dev/shm the rebuild may work in (staging tree and raw disk; also at most half of MemAvailable); 0 works next to the output.",
            DefaultValueFactory = _ => (int)(new RebuildOptions().MemoryLimit >> 20),
        };
        var command = new Command("rebuild", "Rebuild a disk image file by file (same partition table, ext filesystems re-created) and verify it.")
        {
            image, output, json, threads, stagingThreads, memory,
        };
        command.SetAction(r => CommandRunner.Run(() => Run(r.GetValue(image)!, r.GetValue(output)!, r.GetValue(json), r.GetValue(threads), r.GetValue(stagingThreads), r.GetValue(memory))));
        return command;
    }

    private static int Run(string image, string output, bool json, int threads, int stagingThreads, int memoryMib)
    {
        if (threads < 1 || stagingThreads < 1 || memoryMib < 0)
        {
            throw new UsageException(
                $"rebuild: --threads and --staging-threads must be at least 1 and --memory-mib at least 0 (got {threads}, {stagingThreads} and {memoryMib})");
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var disk = DiskImage.Open(image);
        var layout = DiskLayout.Read(disk, threads);
        double describe = clock.Elapsed.TotalSeconds;
        using var provider = new SourceImageProvider(disk);
        ComparisonReport? report = null;
        var result = DiskRebuilder.Rebuild(layout, provider, output, partial =>
        {
            report = ImageVerification.Compare(image, partial, threads, cap: 20);
            return report.Exact;
        }, new RebuildOptions { Threads = stagingThreads, MemoryLimit = (long)memoryMib << 20 });
        if (json)
        {
            var phases = new Dictionary<string, double> { ["read layout"] = Math.Round(describe, 3) };
            foreach (var (phase, seconds) in result.Phases)
            {
                phases[phase] = seconds;
            }

            Console.WriteLine(JsonSerializer.Serialize(new
            {
                output = result.Output,
                exact = report?.Exact,
                output_bytes = result.OutputBytes,
                virtual_size = result.VirtualSize,
                volumes = result.Volumes,
                files = result.Files,
                file_bytes = result.FileBytes,
                region_bytes = result.RegionBytes,
                fixup_commands = result.FixupCommands,
                staging_threads = stagingThreads,
                work_in_memory = result.WorkInMemory,
                seconds = phases,
                total_seconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
            }));
        }
        else
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Output}: {result.Files} files ({Size.Format(result.FileBytes)}), {Size.Format(result.RegionBytes)} raw, {result.FixupCommands} fixups, verified exact, {clock.Elapsed.TotalSeconds:0.0} s"));
        }

        return ExitCodes.Success;
    }
}

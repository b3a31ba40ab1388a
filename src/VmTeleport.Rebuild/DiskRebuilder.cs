using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using VmTeleport.Content.Images;
using VmTeleport.Content.Layout;
using VmTeleport.Disks;
using VmTeleport.FileSystems;
using VmTeleport.FileSystems.Ext;
using VmTeleport.Rebuild.Staging;

namespace VmTeleport.Rebuild;

/// <summary>
/// Rebuilds a disk from its <see cref="DiskLayout"/> and an <see cref="IContentProvider"/>: each
/// ext volume is staged (<see cref="StagingTree"/>), made by mkfs.ext4 -d at its offset of a sparse
/// raw file (<see cref="ExtFormatter"/>) and corrected by debugfs (<see cref="InodeFixups"/>); the
/// raw regions (partition table sectors, boot code, gaps, other partitions) are written byte for
/// byte; the raw file becomes a qcow2 (qemu-img convert) that qemu-img check must find clean, at
/// OUTPUT.partial, which <paramref name="verify"/> must accept before it is renamed to OUTPUT.
/// Staging trees and the raw file live in a work directory in memory when they fit
/// (<see cref="WorkLocation"/>), else next to OUTPUT; files are staged by
/// <see cref="RebuildOptions.Threads"/> workers.
/// </summary>
public static class DiskRebuilder
{
    public static RebuildResult Rebuild(DiskLayout layout, IContentProvider provider, string output, Func<string, bool>? verify = null, RebuildOptions? options = null)
    {
        options ??= new RebuildOptions();
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(output);
        output = Path.GetFullPath(output);
        if (File.Exists(output))
        {
            throw new IOException($"rebuild: {output} already exists; not overwriting it");
        }

        var partial = output + ".partial";
        var phases = new List<(string, double)>();
        var clock = Stopwatch.StartNew();
        void Phase(string name)
        {
            phases.Add((name, Math.Round(clock.Elapsed.TotalSeconds, 3)));
            clock.Restart();
        }

        long files = 0, fileBytes = 0, regionBytes = 0, fixups = 0;
        var (work, inMemory) = WorkLocation.Create(layout, output, options);
        var raw = Path.Combine(work, "disk.raw");
        try
        {
            File.Delete(partial);
            using (var f = new FileStream(raw, FileMode.Create, FileAccess.Write))
            {
                f.SetLength(layout.DiskSize);
            }

            var items = layout.Items.Where(i => i.Kind == ContentItemKind.File)
                .ToDictionary(i => (i.Volume ?? 0, i.Path!));
            foreach (var volume in layout.Volumes)
            {
                var staging = Path.Combine(work, $"staging-{volume.Number}");
                Directory.CreateDirectory(staging);
                using (var tree = new StagingTree(staging, options.Threads))
                {
                    var firstName = new Dictionary<ulong, string>();
                    foreach (var entry in volume.Entries)
                    {
                        string? linkOf = null;
                        if (entry.Type != EntryType.Directory && entry.LinkCount > 1 && !firstName.TryAdd(entry.Inode, entry.Path))
                        {
                            linkOf = firstName[entry.Inode];
                        }

                        Action<IContentSink>? content = null;
                        if (entry.Type == EntryType.File && linkOf is null)
                        {
                            var item = items.GetValueOrDefault((volume.Number, entry.Path))
                                ?? throw new InvalidDataException($"rebuild: no content item for {entry.Path} on volume {volume.Number}");
                            content = sink => provider.CopyFile(item, sink);
                            files++;
                            fileBytes += entry.Size;
                        }

                        tree.Add(entry, content, linkOf);
                    }

                    tree.Complete();
                }

                Phase($"stage volume {volume.Number}");
                ExtFormatter.Format(volume, staging, raw);
                RemoveTree(staging);
                Phase($"mkfs volume {volume.Number}");
                fixups += Fix(volume, raw, work);
                Phase($"fixups volume {volume.Number}");
            }

            using (var handle = File.OpenHandle(raw, FileMode.Open, FileAccess.Write))
            {
                foreach (var region in layout.Items.Where(i => i.Kind == ContentItemKind.Region))
                {
                    provider.CopyRegion(region, new RawSink(handle, region.DiskOffset!.Value));
                    regionBytes += region.Size;
                }
            }

            Phase("regions");
            ExternalTool.Run("qemu-img", ["convert", "-f", "raw", "-O", "qcow2", raw, partial]);
            File.Delete(raw);
            ExternalTool.Run("qemu-img", ["check", "-q", "-f", "qcow2", partial]);
            Phase("convert and check");
            if (verify is not null)
            {
                if (!verify(partial))
                {
                    throw new InvalidDataException($"rebuild: {partial} differs from its source; left there for inspection, {output} not written");
                }

                Phase("verify");
            }

            File.Move(partial, output);
        }
        finally
        {
            File.Delete(raw);
            if (Directory.Exists(work))
            {
                RemoveTree(work);
            }
        }

        return new RebuildResult
        {
            Output = output,
            OutputBytes = new FileInfo(output).Length,
            VirtualSize = layout.DiskSize,
            Volumes = layout.Volumes.Count,
            Files = files,
            FileBytes = fileBytes,
            RegionBytes = regionBytes,
            FixupCommands = fixups,
            Phases = phases,
            WorkInMemory = inMemory,
        };
    }

    /// <summary>rm -rf: guest names need not be UTF-8, which .NET's directory enumeration cannot name.</summary>
    private static void RemoveTree(string path) => ExternalTool.Run("rm", ["-rf", "--one-file-system", "--", path]);

    private static int Fix(ExtVolume volume, string raw, string work)
    {
        using var disk = DiskImage.Open(raw);
        using var slice = new BlockSlice(disk, volume.Offset, volume.Length, $"{raw} volume {volume.Number}");
        using var fs = Ext4FileSystem.Open(slice);
        var rebuilt = fs.Walk().ToDictionary(e => e.Path, StringComparer.Ordinal);
        int values = 0;
        var script = InodeFixups.Script(volume.Entries, rebuilt, volume.Parameters.InodeSize > 128, value =>
        {
            var path = Path.Combine(work, $"xattr-{volume.Number}-{values++}");
            File.WriteAllBytes(path, value);
            return path;
        });
        InodeFixups.Apply(raw, volume.Offset, script, work);
        return script.Count;
    }

    /// <summary>Writes a region's bytes at its offset of the raw disk.</summary>
    private sealed class RawSink(SafeFileHandle handle, long diskOffset) : IContentSink
    {
        public void Write(long offset, ReadOnlySpan<byte> data) => RandomAccess.Write(handle, data, diskOffset + offset);
    }
}

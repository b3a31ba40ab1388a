using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using VmTeleport.Content.Images;
using VmTeleport.Content.Layout;
using VmTeleport.Disks;
using VmTeleport.FileSystems;
using VmTeleport.FileSystems.Ext;
using VmTeleport.Rebuild.Functional;
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
/// <see cref="RebuildOptions.Threads"/> workers. A functional copy (<see cref="FunctionalRebuild"/>)
/// stages every volume first, leaving out the files newer packages replace, installs those
/// packages with the guest's dpkg in a chroot of the staged tree (<see cref="ChrootInstaller"/>),
/// and only then makes the filesystems; the fixups leave the newer files as dpkg made them.
/// </summary>
public static class DiskRebuilder
{
    public static RebuildResult Rebuild(DiskLayout layout, IContentProvider provider, string output, Func<string, bool>? verify = null, RebuildOptions? options = null, FunctionalRebuild? functional = null)
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
            var skipped = functional is null ? [] : SkippedPaths(layout, functional);
            var staged = new Dictionary<int, string>();
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

                        if (skipped.Contains((volume.Number, entry.Path)))
                        {
                            continue;
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
                staged[volume.Number] = staging;
                if (functional is null)
                {
                    fixups += Format(volume, staging, raw, work, Phase);
                }
            }

            if (functional is not null)
            {
                var result = ChrootInstaller.Install(work, staged, functional, (paths, source) =>
                {
                    var (n, bytes) = Restore(layout, staged, skipped, items, functional.MountPoints, paths, source, options.Threads);
                    files += n;
                    fileBytes += bytes;
                });
                functional.Result = result;
                Phase("install newer packages");
                foreach (var volume in layout.Volumes)
                {
                    var mount = functional.MountPoints.GetValueOrDefault(volume.Number);
                    var changed = InVolume(result.ChangedGuestPaths, mount);
                    var scope = InVolume(result.ScopeGuestPaths, mount);
                    // The newer packages' files keep the owner, mode, times and xattrs dpkg gave
                    // them; the old versions' files the newer ones dropped are gone.
                    var kept = volume with { Entries = volume.Entries.Where(e => !changed.Contains(e.Path)).ToList() };
                    fixups += Format(kept, staged[volume.Number], raw, work, Phase, mayBeGone: scope);
                }
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

    private static int Format(ExtVolume volume, string staging, string raw, string work, Action<string> phase, IReadOnlySet<string>? mayBeGone = null)
    {
        ExtFormatter.Format(volume, staging, raw);
        RemoveTree(staging);
        phase($"mkfs volume {volume.Number}");
        int fixups = Fix(volume, raw, work, mayBeGone);
        phase($"fixups volume {volume.Number}");
        return fixups;
    }

    /// <summary>
    /// (volume, path in it) of the files a functional copy leaves out. An inode is left out only
    /// when every name it has is: a hard link from a kept file must find its target staged.
    /// </summary>
    private static HashSet<(int, string)> SkippedPaths(DiskLayout layout, FunctionalRebuild functional)
    {
        var byGuest = layout.Items.Where(i => i.Kind == ContentItemKind.File && i.GuestPath is not null && functional.SkippedGuestPaths.Contains(i.GuestPath))
            .Select(i => (i.Volume ?? 0, i.Path!)).ToHashSet();
        var skipped = new HashSet<(int, string)>();
        foreach (var volume in layout.Volumes)
        {
            foreach (var inode in volume.Entries.Where(e => e.Type == EntryType.File).GroupBy(e => e.Inode))
            {
                if (inode.All(e => byGuest.Contains((volume.Number, e.Path))))
                {
                    foreach (var e in inode)
                    {
                        skipped.Add((volume.Number, e.Path));
                    }
                }
            }
        }

        return skipped;
    }

    /// <summary>
    /// Stages the source's files at <paramref name="guestPaths"/> that the staging left out (the old
    /// files of packages a functional copy rolled back), from <paramref name="source"/>; an inode's
    /// later names become hard links to its first. Returns the files and bytes staged.
    /// </summary>
    private static (long Files, long Bytes) Restore(DiskLayout layout, Dictionary<int, string> staged, HashSet<(int, string)> skipped,
        Dictionary<(int, string), ContentItem> items, IReadOnlyDictionary<int, string> mountPoints, IReadOnlySet<string> guestPaths, IContentProvider source, int threads)
    {
        long files = 0, bytes = 0;
        foreach (var volume in layout.Volumes)
        {
            if (!mountPoints.TryGetValue(volume.Number, out var mount) || !staged.TryGetValue(volume.Number, out var staging))
            {
                continue;
            }

            var wanted = volume.Entries.Where(e => e.Type == EntryType.File && skipped.Contains((volume.Number, e.Path))
                && guestPaths.Contains(mount == "/" ? e.Path : mount + e.Path)).ToList();
            if (wanted.Count == 0)
            {
                continue;
            }

            using var tree = new StagingTree(staging, threads);
            var firstName = new Dictionary<ulong, string>();
            foreach (var entry in wanted)
            {
                skipped.Remove((volume.Number, entry.Path));
                if (entry.LinkCount > 1 && !firstName.TryAdd(entry.Inode, entry.Path))
                {
                    tree.Add(entry, null, firstName[entry.Inode]);
                    continue;
                }

                var item = items.GetValueOrDefault((volume.Number, entry.Path))
                    ?? throw new InvalidDataException($"rebuild: no content item for {entry.Path} on volume {volume.Number}");
                tree.Add(entry, sink => source.CopyFile(item, sink));
                files++;
                bytes += entry.Size;
            }

            tree.Complete();
        }

        return (files, bytes);
    }

    /// <summary>Guest paths under a volume's mount point, as paths inside that volume.</summary>
    private static HashSet<string> InVolume(IReadOnlySet<string> guestPaths, string? mountPoint)
    {
        if (mountPoint is null)
        {
            return [];
        }

        if (mountPoint == "/")
        {
            return guestPaths.ToHashSet(StringComparer.Ordinal);
        }

        var prefix = mountPoint.TrimEnd('/') + "/";
        return guestPaths.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).Select(p => "/" + p[prefix.Length..]).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>rm -rf: guest names need not be UTF-8, which .NET's directory enumeration cannot name.</summary>
    private static void RemoveTree(string path) => ExternalTool.Run("rm", ["-rf", "--one-file-system", "--", path]);

    private static int Fix(ExtVolume volume, string raw, string work, IReadOnlySet<string>? mayBeGone)
    {
        using var disk = DiskImage.Open(raw);
        using var slice = new BlockSlice(disk, volume.Offset, volume.Length, $"{raw} volume {volume.Number}");
        using var fs = Ext4FileSystem.Open(slice);
        var rebuilt = fs.Walk().ToDictionary(e => e.Path, StringComparer.Ordinal);
        int values = 0;
        var entries = mayBeGone is null ? volume.Entries : volume.Entries.Where(e => rebuilt.ContainsKey(e.Path) || !mayBeGone.Contains(e.Path)).ToList();
        var script = InodeFixups.Script(entries, rebuilt, volume.Parameters.InodeSize > 128, value =>
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

using System.Diagnostics;
using VmTeleport.Content.Debs;
using VmTeleport.Content.Images;
using VmTeleport.Disks;
using VmTeleport.Guests.Dpkg;
using VmTeleport.Guests.Os;
using VmTeleport.Guests.Volumes;

namespace VmTeleport.Content.Index;

public sealed partial class ContentIndex
{
    /// <summary>
    /// Indexes a disk image (raw or qcow2, detected by content): its current state, every internal
    /// snapshot, and each backing file of its chain as an image of its own; snapshots that no
    /// longer exist lose their rows. One result per source, in that order. A source whose
    /// fingerprint is unchanged is skipped without reading its content. A source that cannot be
    /// read is reported <see cref="AddOutcome.Failed"/> with nothing of it written; the others go on.
    /// </summary>
    public IReadOnlyList<AddResult> AddImage(string path, IProgress<IndexProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var results = new List<AddResult>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? next = Path.GetFullPath(path);
        var kind = SourceKind.Image;
        while (next is not null && seen.Add(next))
        {
            cancel.ThrowIfCancellationRequested();
            next = AddOneImage(next, kind, results, progress, cancel);
            kind = SourceKind.Backing;
        }

        return results;
    }

    /// <summary>Indexes one .deb: its package and every regular file of data.tar (hard links as their target's content).</summary>
    public AddResult AddDeb(string path, CancellationToken cancel = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var location = Path.GetFullPath(path);
        return Guard(SourceKind.Deb, location, null, () =>
        {
            var (size, mtime) = SourceFingerprint.Stat(location);
            var fingerprint = SourceFingerprint.OfFile("deb", size, mtime);
            if (Unchanged(SourceKind.Deb, location, null, fingerprint) is { } skipped)
            {
                return skipped;
            }

            var clock = Stopwatch.StartNew();
            bool replaced = Find(location, null) is not null;
            using var deb = DebArchive.Open(location);
            using var writer = new SourceWriter(_connection, new SourceRow(SourceKind.Deb, location, null, "deb", size, mtime, fingerprint));
            var control = deb.Control;
            writer.AddPackage(control.Package, control.Version, control.Architecture);
            var byPath = new Dictionary<string, FileContent>(StringComparer.Ordinal);
            foreach (var entry in deb.ReadData())
            {
                cancel.ThrowIfCancellationRequested();
                FileContent content;
                if (entry.Type == DebEntryType.RegularFile)
                {
                    content = FileContent.Read(entry.Content!, md5: true);
                    if (content.Size != entry.Size)
                    {
                        throw new InvalidDataException($"{deb.Name}: {deb.DataMember} entry {entry.Path} holds {content.Size} bytes, its header says {entry.Size}");
                    }

                    byPath[entry.Path] = content;
                }
                else if (entry.Type == DebEntryType.HardLink)
                {
                    if (!byPath.TryGetValue(entry.LinkTarget!, out content!))
                    {
                        throw new InvalidDataException($"{deb.Name}: {deb.DataMember} hard link {entry.Path} names {entry.LinkTarget}, which is not a regular file before it");
                    }
                }
                else
                {
                    continue;
                }

                writer.Add(null, entry.Path, null, null, null, content.Size, content.Sha256, content.Md5, content.Chunks);
            }

            writer.Commit();
            return new AddResult
            {
                Kind = SourceKind.Deb,
                Location = location,
                Outcome = replaced ? AddOutcome.Replaced : AddOutcome.Added,
                Items = writer.Files,
                Chunks = writer.Chunks,
                Bytes = writer.Bytes,
                BytesRead = size,
                Elapsed = clock.Elapsed,
            };
        });
    }

    /// <summary>Indexes every *.deb under <paramref name="directory"/> (recursively, in ordinal path order).</summary>
    public IReadOnlyList<AddResult> AddDebDirectory(string directory, IProgress<IndexProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{directory}: no such directory");
        }

        var results = new List<AddResult>();
        long done = 0, bytes = 0;
        foreach (var deb in Directory.EnumerateFiles(directory, "*.deb", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            cancel.ThrowIfCancellationRequested();
            var r = AddDeb(deb, cancel);
            results.Add(r);
            done++;
            bytes += r.Bytes;
            progress?.Report(new IndexProgress(directory, done, bytes));
        }

        return results;
    }

    /// <summary>Indexes the image at <paramref name="location"/> and its snapshots; returns its backing file, if any.</summary>
    private string? AddOneImage(string location, SourceKind kind, List<AddResult> results, IProgress<IndexProgress>? progress, CancellationToken cancel)
    {
        IReadOnlyList<DiskSnapshot> snapshots = [];
        string? backing = null;
        var image = Guard(kind, location, null, () =>
        {
            var (size, mtime) = SourceFingerprint.Stat(location);
            snapshots = DiskImage.ListSnapshots(location);
            backing = SourceFingerprint.BackingFileOf(location);
            var format = IsQcow2(location) ? "qcow2" : "raw";
            var row = new SourceRow(kind, location, null, format, size, mtime, SourceFingerprint.OfImage(format, size, mtime, snapshots));
            return IndexDisk(row, location, progress, cancel);
        });
        results.Add(image);
        if (image.Outcome == AddOutcome.Failed)
        {
            return null;
        }

        foreach (var s in snapshots)
        {
            cancel.ThrowIfCancellationRequested();
            results.Add(Guard(SourceKind.Snapshot, location, s.Name, () =>
            {
                var (size, mtime) = SourceFingerprint.Stat(location);
                var row = new SourceRow(SourceKind.Snapshot, location, s.Name, "qcow2", size, mtime, SourceFingerprint.OfSnapshot(s));
                return IndexDisk(row, $"{location}@{s.Id}", progress, cancel);
            }));
        }

        RemoveVanishedSnapshots(location, snapshots);
        return backing;
    }

    private AddResult IndexDisk(SourceRow row, string spec, IProgress<IndexProgress>? progress, CancellationToken cancel)
    {
        if (Unchanged(row.Kind, row.Location, row.Snapshot, row.Fingerprint) is { } skipped)
        {
            return skipped;
        }

        var clock = Stopwatch.StartNew();
        bool replaced = Find(row.Location, row.Snapshot) is not null;
        using var disk = new CountingBlockSource(DiskImage.Open(spec));
        var (os, packages) = Describe(disk);
        using var writer = new SourceWriter(_connection, row with { Distro = os?.Distro, DistroVersion = os?.Version, Codename = os?.Codename });
        foreach (var p in packages)
        {
            writer.AddPackage(p.Name, p.Version, p.Architecture);
        }

        long items = 0, bytes = 0;
        foreach (var item in ImageContent.Walk(disk, Threads))
        {
            cancel.ThrowIfCancellationRequested();
            writer.Add(item);
            items++;
            bytes += item.Size;
            progress?.Report(new IndexProgress(row.Snapshot is null ? row.Location : $"{row.Location}@{row.Snapshot}", items, bytes));
        }

        writer.Commit();
        return new AddResult
        {
            Kind = row.Kind,
            Location = row.Location,
            Snapshot = row.Snapshot,
            Outcome = replaced ? AddOutcome.Replaced : AddOutcome.Added,
            Items = writer.Files + writer.Regions,
            Chunks = writer.Chunks,
            Bytes = writer.Bytes,
            BytesRead = disk.BytesRead,
            Elapsed = clock.Elapsed,
        };
    }

    /// <summary>The guest's OS and dpkg packages, read the way inspect reads them (without classifying files).</summary>
    private static (OsInfo? Os, IReadOnlyList<DpkgPackage> Packages) Describe(IBlockSource disk)
    {
        using var guest = GuestDisk.Open(disk);
        if (guest.Guest is null)
        {
            return (null, []);
        }

        var problems = new List<string>();
        var os = OsProbe.Detect(guest.Guest, problems);
        var db = os.PackageFormat == "deb" ? DpkgDatabase.Read(guest.Guest, problems) : null;
        return (os, db?.Packages ?? []);
    }

    private AddResult? Unchanged(SourceKind kind, string location, string? snapshot, string fingerprint)
    {
        var existing = Find(location, snapshot);
        if (existing is null || existing.Fingerprint != fingerprint)
        {
            return null;
        }

        if (existing.Kind != kind && kind != SourceKind.Backing)
        {
            // Found again as what it is (an image given directly that was first seen as a backing file).
            using var update = Command("UPDATE sources SET kind = $k WHERE id = $id");
            update.Parameters.AddWithValue("$k", kind.Name());
            update.Parameters.AddWithValue("$id", existing.Id);
            update.ExecuteNonQuery();
        }

        return new AddResult { Kind = kind, Location = location, Snapshot = snapshot, Outcome = AddOutcome.Skipped };
    }

    private void RemoveVanishedSnapshots(string location, IReadOnlyList<DiskSnapshot> snapshots)
    {
        var names = snapshots.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in Sources().Where(s => s.Location == location && s.Snapshot is not null && !names.Contains(s.Snapshot)))
        {
            using var delete = Command("DELETE FROM sources WHERE id = $id");
            delete.Parameters.AddWithValue("$id", gone.Id);
            delete.ExecuteNonQuery();
        }
    }

    private static bool IsQcow2(string path)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        Span<byte> magic = stackalloc byte[4];
        return RandomAccess.Read(f.SafeFileHandle, magic, 0) == 4 && System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(magic) == SourceFingerprint.Qcow2Magic;
    }

    /// <summary>Runs one source's add; what its input can throw becomes a Failed result (the transaction is already rolled back).</summary>
    private static AddResult Guard(SourceKind kind, string location, string? snapshot, Func<AddResult> add)
    {
        try
        {
            return add();
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or IOException or UnauthorizedAccessException
                                      or KeyNotFoundException)
        {
            var where = snapshot is null ? location : $"{location}@{snapshot}";
            var message = e.Message.Contains(Path.GetFileName(location), StringComparison.Ordinal) ? e.Message : $"{where}: {e.Message}";
            return new AddResult { Kind = kind, Location = location, Snapshot = snapshot, Outcome = AddOutcome.Failed, Error = message, Exception = e };
        }
    }
}

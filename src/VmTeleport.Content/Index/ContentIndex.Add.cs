using System.Diagnostics;
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
    public AddResult AddDeb(string path, CancellationToken cancel = default) => AddDeb(path, null, cancel);

    /// <summary>
    /// Indexes one .deb as a package of APT suite <paramref name="suite"/> ("bookworm-security"; null:
    /// unknown, or as recorded before when the .deb was indexed already).
    /// </summary>
    public AddResult AddDeb(string path, string? suite, CancellationToken cancel = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return AddDebs([path], suite, null, cancel)[0];
    }

    /// <summary>Indexes every *.deb under <paramref name="directory"/> (recursively, in ordinal path order).</summary>
    public IReadOnlyList<AddResult> AddDebDirectory(string directory, IProgress<IndexProgress>? progress = null, CancellationToken cancel = default) =>
        AddDebDirectory(directory, null, progress, cancel);

    /// <summary>Indexes every *.deb under <paramref name="directory"/>, each as a package of <paramref name="suite"/> (see <see cref="AddDebs(IEnumerable{string}, string?, IProgress{IndexProgress}?, CancellationToken)"/>).</summary>
    public IReadOnlyList<AddResult> AddDebDirectory(string directory, string? suite, IProgress<IndexProgress>? progress, CancellationToken cancel = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{directory}: no such directory");
        }

        return AddDebs(Directory.EnumerateFiles(directory, "*.deb", SearchOption.AllDirectories).Order(StringComparer.Ordinal), suite, progress, cancel);
    }

    /// <summary>
    /// Indexes .debs, one result each in the order given. <see cref="Threads"/> packages are read
    /// (decompressed, hashed, chunked) at the same time; each is written in its own transaction, in
    /// order, on the calling thread. Unchanged packages are skipped without being opened.
    /// </summary>
    public IReadOnlyList<AddResult> AddDebs(IEnumerable<string> paths, IProgress<IndexProgress>? progress = null, CancellationToken cancel = default) =>
        AddDebs(paths, null, progress, cancel);

    /// <summary>
    /// Indexes .debs as packages of APT suite <paramref name="suite"/> (what <c>index add --suite</c>
    /// gives; the package plan's --allow-newer takes newer versions only from known suites of the
    /// source's release). A null suite keeps what an earlier add recorded (else NULL, unknown); a
    /// suite given for an unchanged .deb is recorded without reading it.
    /// </summary>
    public IReadOnlyList<AddResult> AddDebs(IEnumerable<string> paths, string? suite, IProgress<IndexProgress>? progress, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (suite is not null && !AptSuites.IsValid(suite))
        {
            throw new ArgumentException($"\"{suite}\" is not a suite name (one word without '/' or spaces, e.g. bookworm-security)", nameof(suite));
        }

        var locations = paths.Select(Path.GetFullPath).ToList();
        var results = new AddResult?[locations.Count];
        var pending = new List<(int Slot, SourceRow Row, bool Replaced)>();
        for (int i = 0; i < locations.Count; i++)
        {
            var location = locations[i];
            var slot = i;
            results[i] = Guard(SourceKind.Deb, location, null, () =>
            {
                var (size, mtime) = SourceFingerprint.Stat(location);
                var fingerprint = SourceFingerprint.OfFile("deb", size, mtime);
                if (Unchanged(SourceKind.Deb, location, null, fingerprint) is { } skipped)
                {
                    SetSuite(location, suite);
                    return skipped;
                }

                var existing = Find(location, null);
                var row = new SourceRow(SourceKind.Deb, location, null, "deb", size, mtime, fingerprint) { Suite = suite ?? existing?.Suite };
                pending.Add((slot, row, existing is not null));
                return null!;
            });
        }

        // A sliding window of reads on the thread pool; writes stay on this thread (one connection).
        var reads = new Task<DebContent>[pending.Count];
        int started = 0;
        long done = 0, bytes = 0;
        try
        {
            for (int i = 0; i < pending.Count; i++)
            {
                while (started < pending.Count && started < i + Threads)
                {
                    var location = pending[started].Row.Location;
                    reads[started++] = Task.Run(() => DebContent.Read(location, cancel), cancel);
                }

                var (slot, row, replaced) = pending[i];
                var clock = Stopwatch.StartNew();
                results[slot] = Guard(SourceKind.Deb, row.Location, null, () =>
                {
                    var content = Unwrap(reads[i]);
                    using var writer = new SourceWriter(_connection, row);
                    writer.AddPackage(content.Package, content.Version, content.Architecture);
                    foreach (var (path, file) in content.Files)
                    {
                        writer.Add(null, path, null, null, null, file.Size, file.Sha256, file.Md5, file.Chunks);
                    }

                    writer.Commit();
                    return new AddResult
                    {
                        Kind = SourceKind.Deb,
                        Location = row.Location,
                        Outcome = replaced ? AddOutcome.Replaced : AddOutcome.Added,
                        Items = writer.Files,
                        Chunks = writer.Chunks,
                        Bytes = writer.Bytes,
                        BytesRead = row.Size,
                        Elapsed = clock.Elapsed,
                    };
                });
                done++;
                bytes += results[slot]!.Bytes;
                progress?.Report(new IndexProgress(row.Location, done, bytes));
            }
        }
        finally
        {
            // Reads still running when a write throws (or on cancellation) must not outlive the call.
            foreach (var t in reads.Take(started))
            {
                try
                {
                    t.Wait(CancellationToken.None);
                }
                catch (AggregateException)
                {
                    // Already reported for the packages that were reached.
                }
            }
        }

        return results.Select(r => r!).ToList();
    }

    private static T Unwrap<T>(Task<T> task)
    {
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (AggregateException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
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

        // A VM that was started, or an image written while we read it, gives rows that describe no
        // state the image ever had: refuse them (the transaction rolls back when the writer is
        // disposed uncommitted).
        var (sizeAfter, mtimeAfter) = SourceFingerprint.Stat(row.Location);
        if (sizeAfter != row.Size || mtimeAfter != row.MtimeNs)
        {
            throw new IOException(
                $"{row.Location} changed while it was indexed (size {row.Size} -> {sizeAfter}, mtime {row.MtimeNs} -> {mtimeAfter} ns): nothing of it was written; index it again when nothing writes to it");
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

    /// <summary>Records the suite of an indexed source whose content is unchanged (nothing when <paramref name="suite"/> is null).</summary>
    private void SetSuite(string location, string? suite)
    {
        if (suite is null)
        {
            return;
        }

        using var update = Command("UPDATE sources SET suite = $suite WHERE location = $l AND snapshot = '' AND suite IS NOT $suite");
        update.Parameters.AddWithValue("$suite", suite);
        update.Parameters.AddWithValue("$l", location);
        update.ExecuteNonQuery();
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

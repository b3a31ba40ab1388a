using VmTeleport.Disks;
using VmTeleport.FileSystems;
using VmTeleport.Guests.Apt;
using VmTeleport.Guests.Boot;
using VmTeleport.Guests.Classes;
using VmTeleport.Guests.Dpkg;
using VmTeleport.Guests.Manifest;
using VmTeleport.Guests.Os;
using VmTeleport.Guests.Volumes;

namespace VmTeleport.Guests;

/// <summary>
/// Describes a powered-off guest from its disk alone: volumes and their roles, the merged view,
/// the OS, its packages, then one walk that classifies every entry (and writes the manifest when
/// asked). Reads only; a damaged part is recorded as a problem and the rest is still described.
/// </summary>
public static class GuestInspector
{
    public static GuestDescription Inspect(IBlockSource disk, DescribedImage source, InspectOptions options)
    {
        ArgumentNullException.ThrowIfNull(disk);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        using var gd = GuestDisk.Open(disk);
        var problems = new List<string>(gd.Problems);
        var guest = gd.Guest;
        var os = guest is null ? new OsInfo { Type = "unknown" } : OsProbe.Detect(guest, problems);
        if (guest is null && !problems.Any(p => p.StartsWith("no operating system", StringComparison.Ordinal)))
        {
            problems.Add("no operating system found: no filesystem on this disk looks like a Linux root");
        }

        DpkgDatabase? db = null;
        PackageDatabaseInfo dbInfo;
        if (guest is not null && os.PackageFormat == "deb")
        {
            db = DpkgDatabase.Read(guest, problems);
            dbInfo = db is null
                ? new PackageDatabaseInfo { Format = "dpkg", Read = false, Note = "/var/lib/dpkg/status could not be read" }
                : new PackageDatabaseInfo { Format = "dpkg", Read = true };
        }
        else if (os.PackageFormat is { } other)
        {
            var format = other == "deb" ? "dpkg" : other;
            dbInfo = new PackageDatabaseInfo
            {
                Format = format,
                Read = false,
                Note = $"the guest uses {format}, whose database VM Teleport does not read yet: its packages are unknown (not absent), and every file is classed unowned",
            };
            problems.Add(dbInfo.Note);
        }
        else
        {
            dbInfo = new PackageDatabaseInfo { Format = null, Read = false, Note = "no package database found" };
        }

        var bootloader = BootloaderProbe.Detect(disk, gd.Table, gd.PartitionFileSystems, guest, problems);
        AptConfiguration? apt = guest is not null && (os.PackageManager == "apt" || os.PackageFormat == "deb")
            ? AptSources.Read(guest, problems)
            : null;

        var policy = options.Policy;
        foreach (var swap in gd.Fstab.Where(e => e.Type == "swap" && e.Spec.StartsWith('/') && !e.Spec.StartsWith("/dev/", StringComparison.Ordinal)))
        {
            policy = policy.With(new ClassRule(true, new PathGlob(swap.Spec), $"/etc/fstab:{swap.Line}"));
        }

        var classifier = new FileClassifier(db, policy);
        var modified = new List<MissingFile>();
        long modifiedCount = 0;
        if (guest is not null)
        {
            Classify(guest, classifier, options, (path, package) =>
            {
                if (modifiedCount++ < ModifiedFiles.Listed)
                {
                    modified.Add(new MissingFile(path, package));
                }
            });
        }

        var missing = classifier.Missing().ToList();
        foreach (var (package, count) in classifier.Unverifiable.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var why = db?.Packages.FirstOrDefault(p => p.Name == package) is { HasMd5sums: false }
                ? $"/var/lib/dpkg/info/{package}.md5sums is missing"
                : "no md5 recorded for them";
            problems.Add($"package {package}: {count} file(s) cannot be checked ({why}), classed package-modified");
        }

        return new GuestDescription
        {
            Source = source,
            PartitionTable = DescribedPartitionTable.From(gd.Table),
            Filesystems = gd.Volumes,
            Fstab = gd.Fstab,
            Os = os,
            Bootloader = bootloader,
            Hardware = options.Hardware,
            PackageDatabase = dbInfo,
            Packages = db?.Packages ?? [],
            Diversions = db?.Diversions ?? [],
            Apt = apt,
            FileClasses = classifier.Totals.ToDictionary(p => p.Key.Name(), p => p.Value),
            FileClassesByDirectory = classifier.TotalsByDirectory.ToDictionary(
                d => d.Key,
                d => (IReadOnlyDictionary<string, ClassTotals>)d.Value.ToDictionary(p => p.Key.Name(), p => p.Value)),
            UnverifiableFiles = classifier.Unverifiable.ToDictionary(),
            MissingFiles = new MissingFiles
            {
                Count = missing.Count,
                Paths = [.. missing.Take(MissingFiles.Listed).Select(m => new MissingFile(m.Path, m.Package))],
            },
            ModifiedFiles = new ModifiedFiles { Count = modifiedCount, Paths = modified },
            Problems = problems,
        };
    }

    /// <summary>"qcow2" or "raw", from the image file's first bytes (QEMU's "QFI\xfb" magic).</summary>
    public static string FormatOf(string imagePath)
    {
        using var f = File.OpenRead(imagePath);
        Span<byte> magic = stackalloc byte[4];
        return f.Read(magic) == 4 && magic.SequenceEqual((ReadOnlySpan<byte>)[(byte)'Q', (byte)'F', (byte)'I', 0xFB]) ? "qcow2" : "raw";
    }

    /// <summary>Bytes of <paramref name="disk"/> that hold data.</summary>
    public static long AllocatedBytes(IBlockSource disk)
    {
        ArgumentNullException.ThrowIfNull(disk);
        return disk.GetExtents(0, disk.Length).Where(e => e.Kind == ExtentKind.Data).Sum(e => e.Length);
    }

    private static void Classify(IFileSystem guest, FileClassifier classifier, InspectOptions options, Action<string, string> modified)
    {
        bool sha = options.Manifest is not null;
        long entries = 0, bytes = 0;
        foreach (var (entry, digest) in HashedWalk.Run(
            guest, options.Threads, e => FileDigest.Compute(guest, e, classifier.NeedsMd5(e), sha)))
        {
            var c = classifier.Classify(entry, digest?.Md5);
            if (c.Class == FileClass.PackageModified && entry.Type == EntryType.File)
            {
                modified(entry.Path, c.Package ?? "");
            }

            options.Manifest?.Invoke(ManifestRecord.ToJsonLine(entry, digest?.Sha256, c));
            if (entry.Type == EntryType.File)
            {
                options.Classified?.Invoke(entry.Path, c);
            }
            entries++;
            bytes += entry.Type == EntryType.File ? entry.Size : 0;
            options.Progress?.Invoke(entries, bytes);
        }
    }
}

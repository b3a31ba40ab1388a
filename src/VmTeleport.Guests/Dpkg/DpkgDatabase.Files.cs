using System.Text;
using VmTeleport.FileSystems;

namespace VmTeleport.Guests.Dpkg;

public sealed partial class DpkgDatabase
{
    private Dictionary<string, DpkgDiversion>? _diversionsByPath;
    private DirectoryResolver? _directories;

    private DpkgPackage LoadFiles(DpkgPackage pkg, HashSet<string> info, ICollection<string> problems)
    {
        string? Info(string suffix)
        {
            foreach (var n in new[] { $"{pkg.Name}:{pkg.Architecture}{suffix}", $"{pkg.Name}{suffix}" })
            {
                if (info.Contains(n))
                {
                    return $"{AdminDir}/info/{n}";
                }
            }

            return null;
        }

        var md5s = new Dictionary<string, string>(StringComparer.Ordinal);
        var md5File = Info(".md5sums");
        if (md5File is not null && GuestFiles.ReadAll(_guest, md5File, problems, MaxInfoFileBytes) is { } md5Bytes)
        {
            int number = 0;
            foreach (var line in Lines(md5Bytes))
            {
                number++;
                // md5sum(1) output: 32 hex digits, a blank, a blank or '*' (binary mode), the path
                // relative to / (deb-md5sums(5)).
                if (line.Length < 35 || !IsMd5(line[..32]) || line[32] != ' ' || line[33] is not (' ' or '*'))
                {
                    problems.Add($"{md5File}:{number}: not an md5sums line, skipped");
                    continue;
                }

                md5s[Absolute(line[34..])] = line[..32].ToLowerInvariant();
            }
        }

        var conffiles = pkg.Conffiles.ToDictionary(c => c.Path, StringComparer.Ordinal);
        int count = 0;
        var listFile = Info(".list");
        if (listFile is null)
        {
            if (pkg.State != "config-files")
            {
                problems.Add($"package {pkg.Name}: {AdminDir}/info/{pkg.InfoName}.list is missing: its files are not known");
            }
        }
        else if (GuestFiles.ReadAll(_guest, listFile, problems, MaxInfoFileBytes) is { } listBytes)
        {
            foreach (var line in Lines(listBytes))
            {
                if (line.Length == 0)
                {
                    continue;
                }

                var listed = line == "/." ? "/" : line;
                if (!listed.StartsWith('/'))
                {
                    problems.Add($"{listFile}: path is not absolute, skipped: {ControlFile.Excerpt(listed)}");
                    continue;
                }

                count++;
                bool isConffile = conffiles.TryGetValue(listed, out var cf);
                string? md5 = isConffile ? cf!.Md5 : md5s.GetValueOrDefault(listed);
                Own(Canonical(listed, pkg.Name, problems), new FileOwner(pkg.Name, md5, isConffile));
            }
        }

        // Conffiles of removed packages (config-files) stay owned although no list names them.
        foreach (var cf in pkg.Conffiles)
        {
            var path = Canonical(cf.Path, pkg.Name, problems);
            if (!OwnersOf(path).Any(o => o.Package == pkg.Name))
            {
                Own(path, new FileOwner(pkg.Name, cf.Md5, Conffile: true));
            }
        }

        return pkg with { FileCount = count, HasMd5sums = md5File is not null };
    }

    private void Own(string path, FileOwner owner)
    {
        if (!_owners.TryGetValue(path, out var list))
        {
            _owners[path] = list = new List<FileOwner>(1);
        }

        list.Add(owner);
    }

    /// <summary>
    /// Where a path a package lists is found in the guest today: a diversion by another package
    /// (or a local one) moves it, and the directory part is resolved through symlinks.
    /// </summary>
    private string Canonical(string listed, string package, ICollection<string> problems)
    {
        _diversionsByPath ??= Diversions.GroupBy(d => d.From, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        if (_diversionsByPath.TryGetValue(listed, out var d) && d.Package != package)
        {
            listed = d.To;
        }

        if (listed == "/")
        {
            return listed;
        }

        int slash = listed.LastIndexOf('/');
        var parent = slash == 0 ? "/" : listed[..slash];
        if (!_resolvedDirs.TryGetValue(parent, out var resolved))
        {
            resolved = ResolveDirectory(parent, problems);
            _resolvedDirs[parent] = resolved;
        }

        return (resolved == "/" ? string.Empty : resolved) + listed[slash..];
    }

    private string ResolveDirectory(string dir, ICollection<string> problems)
    {
        _directories ??= new DirectoryResolver(_guest);
        try
        {
            // A directory that does not exist keeps its listed path: its entries are then simply
            // not met by the walk and count as missing.
            return _directories.Resolve(dir) ?? dir;
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            problems.Add($"{dir}: cannot be resolved: {e.Message}");
            return dir;
        }
    }

    private static string Absolute(string relative)
    {
        var p = relative.StartsWith("./", StringComparison.Ordinal) ? relative[1..] : relative;
        return p.StartsWith('/') ? p : "/" + p;
    }

    /// <summary>Lines of a file whose names may not be UTF-8: decoded as the walk decodes names.</summary>
    private static IEnumerable<string> Lines(byte[] bytes)
    {
        int start = 0;
        while (start < bytes.Length)
        {
            int end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0)
            {
                end = bytes.Length;
            }

            yield return PosixName.Decode(bytes.AsSpan(start, end - start));
            start = end + 1;
        }
    }
}

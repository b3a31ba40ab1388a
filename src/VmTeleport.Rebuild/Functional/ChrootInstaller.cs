using System.Diagnostics;
using System.Globalization;
using System.Text;
using VmTeleport.Guests.Dpkg;

namespace VmTeleport.Rebuild.Functional;

/// <summary>
/// Installs a functional copy's newer packages into staged volumes with the guest's own dpkg, in a
/// chroot, offline, and keeps only what those packages own.
/// <para>
/// Each staged volume is the lower layer of an overlayfs mounted at its guest mount point under one
/// chroot directory, so every write dpkg and the maintainer scripts make lands in the volume's upper
/// directory and the staged source tree is untouched. Services cannot start (a policy-rc.d that
/// answers 101, and systemctl does nothing in a chroot); /proc, /dev, /run and /tmp are the host's
/// or fresh tmpfs, never staged. After dpkg, the upper directories are sorted path by path: the
/// newer versions' files (their new .list), their dpkg info files and the status file move into the
/// staged tree (rename, same filesystem: content, owner, mode, times and xattrs as dpkg left them);
/// everything else — ld.so.cache, dpkg.log, debconf caches, a .dpkg-dist beside an edited conffile,
/// policy-rc.d itself — is discarded, so the source's own files stay exactly as they were.
/// </para>
/// <para>
/// A package dpkg refuses (its maintainer script fails, a dependency cannot be met) is rolled back
/// in place when the caller can supply its old files (<see cref="FunctionalRebuild.Refused"/>):
/// its status entry and info files stay the source's, what was placed for it is taken away, and
/// its old files are staged from the caller's provider. The other packages keep their newer
/// version, and dpkg does not run again.
/// </para>
/// </summary>
public static class ChrootInstaller
{
    private static readonly string[] DpkgEnvironment =
    [
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "DEBIAN_FRONTEND=noninteractive",
        "DEBCONF_NONINTERACTIVE_SEEN=true",
        "LC_ALL=C.UTF-8",
        "HOME=/root",
    ];

    /// <param name="work">A directory on the same filesystem as the staging trees (the rebuild's work directory).</param>
    /// <param name="staging">Volume number → its staged tree.</param>
    /// <param name="restore">Stages the source's files at these guest paths (left out of the staging) from the provider.</param>
    public static FunctionalResult Install(string work, IReadOnlyDictionary<int, string> staging, FunctionalRebuild functional, Action<IReadOnlySet<string>, IContentProvider> restore)
    {
        ArgumentNullException.ThrowIfNull(restore);
        ArgumentNullException.ThrowIfNull(staging);
        ArgumentNullException.ThrowIfNull(functional);
        if (!Environment.IsPrivilegedProcess)
        {
            throw new UnauthorizedAccessException("a functional copy (--allow-newer) installs packages with dpkg in a chroot of the staged guest: run as root");
        }

        var log = functional.Log ?? (_ => { });
        // Deepest mount points last, so each overlay is mounted inside its parent's.
        var volumes = functional.MountPoints
            .Where(m => staging.ContainsKey(m.Key))
            .OrderBy(m => m.Value == "/" ? 0 : m.Value.Count(c => c == '/'))
            .Select(m => new StagedVolume(m.Key, m.Value.Length > 1 ? m.Value.TrimEnd('/') : m.Value, staging[m.Key], Path.Combine(work, $"upper-{m.Key}")))
            .ToList();
        if (volumes.Count == 0 || volumes[0].MountPoint != "/")
        {
            throw new InvalidDataException("functional copy: no staged volume is the guest's root filesystem");
        }

        // Each upgraded package's old files, as the source's dpkg database lists them (read before
        // dpkg rewrites it), at their walk paths (/sbin/ifup is /usr/sbin/ifup on a merged-/usr guest).
        var resolver = new GuestPathResolver(guest =>
        {
            var (v, rel) = StagedVolume.Locate(volumes, guest);
            return new FileInfo(v.Lower + rel).LinkTarget;
        });
        var oldPaths = functional.Upgrades.ToDictionary(u => u.InfoName, u => ReadList(volumes, u.InfoName).Select(resolver.Canonical).ToList(), StringComparer.Ordinal);
        var placed = ArchivePreplacement.Place(volumes, functional.Upgrades, resolver);
        log($"placed {placed.Values.Sum(p => p.Count)} path(s) of the newer archives that the staged guest lacked, so that its dpkg and scripts can run");
        var root = Path.Combine(work, "chroot");
        Directory.CreateDirectory(root);
        var mounts = new List<string>();
        var clock = Stopwatch.StartNew();
        string output;
        Dictionary<string, (string Version, string Status)> states;
        try
        {
            foreach (var v in volumes)
            {
                var ovlWork = Path.Combine(work, $"overlay-work-{v.Number}");
                Directory.CreateDirectory(v.Upper);
                Directory.CreateDirectory(ovlWork);
                var at = v.MountPoint == "/" ? root : Path.Combine(root, v.MountPoint.TrimStart('/'));
                Mount(mounts, at, "-t", "overlay", "overlay", "-o",
                    $"lowerdir={v.Lower},upperdir={v.Upper},workdir={ovlWork},redirect_dir=off,index=off,metacopy=off");
            }

            Mount(mounts, Path.Combine(root, "proc"), "-t", "proc", "proc");
            Mount(mounts, Path.Combine(root, "dev"), "--bind", "/dev");
            Mount(mounts, Path.Combine(root, "run"), "-t", "tmpfs", "-o", "mode=0755", "tmpfs");
            Mount(mounts, Path.Combine(root, "tmp"), "-t", "tmpfs", "-o", "mode=1777", "tmpfs");
            WritePolicy(root);
            var debs = Path.Combine(root, "tmp", "vmteleport-debs");
            Directory.CreateDirectory(debs);
            var inChroot = new List<string>();
            foreach (var u in functional.Upgrades)
            {
                var name = $"{inChroot.Count:D4}.deb";
                File.Copy(u.DebPath, Path.Combine(debs, name));
                inChroot.Add("/tmp/vmteleport-debs/" + name);
            }

            log($"dpkg -i of {functional.Upgrades.Count} newer package(s) in a chroot of the staged guest (services prevented)");
            // --force-unsafe-io: no fsync per file; a failed rebuild throws the whole staging away anyway.
            string[] dpkg = ["dpkg", "--force-confold", "--force-confdef", "--force-unsafe-io"];
            int exit;
            (exit, output) = Chroot(root, functional.Timeout, [.. dpkg, "--install", .. inChroot]);
            log(string.Create(CultureInfo.InvariantCulture, $"dpkg exited {exit} after {clock.Elapsed.TotalSeconds:F1} s")
                + (exit == 0 ? "" : ": " + string.Join(" | ", output.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(4))));
            states = Query(root);
            // One dpkg -i cannot order everything apt would: a package whose Pre-Depends the same
            // run satisfies later (libpam-modules), a Breaks on the old version of another
            // (mariadb-client breaks mariadb-client-core << new). Passes over what is left, while
            // each installs something, are what apt's ordering would have done in one.
            var left = functional.Upgrades.Select((u, i) => (u, i)).Where(x => !Installed(states, x.u)).Select(x => inChroot[x.i]).ToList();
            for (int pass = 2; exit != 0 && left.Count > 0 && pass <= 8; pass++)
            {
                log($"dpkg -i pass {pass} of {left.Count} package(s) not installed yet");
                int before = left.Count;
                (exit, var more) = Chroot(root, functional.Timeout, [.. dpkg, "--install", .. left]);
                output += more;
                states = Query(root);
                left = functional.Upgrades.Select((u, i) => (u, i)).Where(x => !Installed(states, x.u)).Select(x => inChroot[x.i]).ToList();
                if (left.Count == before)
                {
                    break;
                }
            }
        }
        finally
        {
            Unmount(mounts);
        }

        double seconds = clock.Elapsed.TotalSeconds;
        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var u in functional.Upgrades)
        {
            if (!states.TryGetValue(u.InfoName, out var s) && !states.TryGetValue(u.Name, out s))
            {
                failed[u.Name] = "not in dpkg's database after dpkg -i" + LastLineAbout(output, u.Name);
            }
            else if (s.Status != "ii" || s.Version != u.NewVersion)
            {
                failed[u.Name] = $"{s.Status} {s.Version}" + LastLineAbout(output, u.Name);
            }
        }

        IReadOnlyList<PackageUpgrade> upgraded = functional.Upgrades;
        var rolledBack = new Dictionary<string, string>(StringComparer.Ordinal);
        List<PackageUpgrade> back = [];
        IContentProvider? oldFiles = null;
        if (failed.Count > 0)
        {
            if (functional.Refused is null)
            {
                throw new PackageInstallException(failed, output);
            }

            // Latin-1 maps every byte to one char: the status file goes back byte for byte whatever its encoding.
            var (sv, statusPath) = StagedVolume.Locate(volumes, "/var/lib/dpkg/status");
            var newStatus = sv.Upper + statusPath;
            string statusText = File.Exists(newStatus) ? File.ReadAllText(newStatus, Encoding.Latin1) : "";
            rolledBack = DpkgStatusRollback.Closure(functional.Upgrades, failed, statusText);
            log($"dpkg refused {failed.Count} package(s); rolling back {rolledBack.Count} to the source's version in place: " + string.Join("; ", rolledBack.Select(r => $"{r.Key}: {r.Value}")));
            oldFiles = functional.Refused(rolledBack) ?? throw new PackageInstallException(failed, output);
            back = functional.Upgrades.Where(u => rolledBack.ContainsKey(u.Name)).ToList();
            upgraded = functional.Upgrades.Where(u => !rolledBack.ContainsKey(u.Name)).ToList();
            if (File.Exists(newStatus))
            {
                File.WriteAllText(newStatus, DpkgStatusRollback.Merge(statusText, File.ReadAllText(sv.Lower + statusPath, Encoding.Latin1), back), Encoding.Latin1);
            }
        }

        // The newer versions' files and dpkg info files, as their new .list files name them.
        var scope = new HashSet<string>(StringComparer.Ordinal) { "/var/lib/dpkg/status" };
        scope.UnionWith(upgraded.SelectMany(u => oldPaths[u.InfoName]));
        var owned = new HashSet<string>(StringComparer.Ordinal);
        var infoNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var u in upgraded)
        {
            infoNames.Add(u.InfoName);
            foreach (var p in ReadList(volumes.Select(v => v with { Lower = v.Upper }).ToList(), u.InfoName))
            {
                var canonical = resolver.Canonical(p);
                owned.Add(canonical);
                scope.Add(canonical);
            }
        }

        bool Allowed(string guestPath)
        {
            if (functional.KeepSourceGuestPaths.Contains(guestPath))
            {
                return false;
            }

            if (owned.Contains(guestPath) || guestPath == "/var/lib/dpkg/status")
            {
                return true;
            }

            const string info = "/var/lib/dpkg/info/";
            return guestPath.StartsWith(info, StringComparison.Ordinal)
                && infoNames.Any(n => DpkgInfoFiles.BelongsTo(guestPath[info.Length..], n));
        }

        var changed = new HashSet<string>(StringComparer.Ordinal);
        var discarded = new List<string>();
        foreach (var v in volumes)
        {
            Apply(v.MountPoint, v.Upper, v.Lower, Allowed, changed, discarded);
        }

        foreach (var p in changed)
        {
            scope.Add(p);
        }

        if (back.Count > 0)
        {
            // What was placed for them goes; their old files come back from the caller, exactly.
            int removed = Unplace(volumes, back.SelectMany(u => placed[u.InfoName]).Where(p => !owned.Contains(p)));
            var old = back.SelectMany(u => oldPaths[u.InfoName]).Where(p => !owned.Contains(p)).ToHashSet(StringComparer.Ordinal);
            restore(old, oldFiles!);
            log($"rolled back {back.Count} package(s): removed {removed} placed path(s), staged their old files from the source");
        }

        log($"kept {changed.Count} path(s) of {upgraded.Count} newer package(s); discarded {discarded.Count} side effect(s) of their maintainer scripts"
            + (discarded.Count > 0 ? " (" + string.Join(", ", discarded.Take(8)) + (discarded.Count > 8 ? ", …" : "") + ")" : ""));
        foreach (var v in volumes)
        {
            ExternalTool.Run("rm", ["-rf", "--one-file-system", "--", v.Upper, Path.Combine(work, $"overlay-work-{v.Number}")]);
        }

        return new FunctionalResult(upgraded, changed, scope, discarded.Count, discarded.Take(50).ToList(), Math.Round(seconds, 3), output, rolledBack);
    }

    /// <summary>
    /// Removes paths placed for packages rolled back, deepest first (a directory only when it is
    /// empty), never through a symlink of the guest's. Returns how many went.
    /// </summary>
    private static int Unplace(IReadOnlyList<StagedVolume> volumes, IEnumerable<string> guestPaths)
    {
        int removed = 0;
        foreach (var guest in guestPaths.Distinct(StringComparer.Ordinal).OrderByDescending(p => p.Count(c => c == '/')))
        {
            var (v, inVolume) = StagedVolume.Locate(volumes, guest);
            var full = v.Lower + inVolume;
            RequireRealDirectories(v.Lower, Path.GetDirectoryName(full)!);
            var info = new FileInfo(full);
            if (info.LinkTarget is not null || info.Exists)
            {
                File.Delete(full);
                removed++;
            }
            else if (Directory.Exists(full) && !Directory.EnumerateFileSystemEntries(full).Any())
            {
                Directory.Delete(full);
                removed++;
            }
        }

        return removed;
    }

    /// <summary>
    /// Moves the allowed entries of one volume's upper directory into its staged tree. `find`
    /// lists the upper directory parents first with each entry's type: a character device is an
    /// overlayfs whiteout (the path was removed; packages ship no device nodes).
    /// </summary>
    private static void Apply(string mountPoint, string upper, string lower, Func<string, bool> allowed, HashSet<string> changed, List<string> discarded)
    {
        var listing = ExternalTool.Run("find", [upper, "-mindepth", "1", "-printf", "%y\\t%P\\0"]);
        foreach (var record in listing.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var type = record[0];
            var rel = record[2..];
            var guest = mountPoint == "/" ? "/" + rel : mountPoint + "/" + rel;
            var from = Path.Combine(upper, rel);
            var to = Path.Combine(lower, rel);
            var parent = Path.GetDirectoryName(to)!;
            if (parent != lower.TrimEnd('/') && allowed(guest))
            {
                // Never write through a symlink of the guest's (it may point anywhere on the host).
                RequireRealDirectories(lower, parent);
            }

            if (!allowed(guest))
            {
                if (type != 'd')
                {
                    discarded.Add(guest);
                }

                continue;
            }

            switch (type)
            {
                case 'd':
                    if (new FileInfo(to).LinkTarget is not null)
                    {
                        File.Delete(to); // dpkg replaced a symlink by a directory
                    }

                    if (!Directory.Exists(to) && !File.Exists(to))
                    {
                        Directory.CreateDirectory(to);
                        ExternalTool.Run("chown", ["--no-dereference", "--reference=" + from, "--", to]);
                        ExternalTool.Run("chmod", ["--reference=" + from, "--", to]);
                        ExternalTool.Run("touch", ["--no-dereference", "--reference=" + from, "--", to]);
                        changed.Add(guest);
                    }

                    break;
                case 'c':
                    ExternalTool.Run("rm", ["-rf", "--one-file-system", "--", to]);
                    changed.Add(guest);
                    break;
                default:
                    if (Directory.Exists(to) && new DirectoryInfo(to).LinkTarget is null)
                    {
                        ExternalTool.Run("rm", ["-rf", "--one-file-system", "--", to]);
                    }

                    File.Move(from, to, overwrite: true);
                    StripOverlayXattrs(to);
                    changed.Add(guest);
                    break;
            }
        }

    }

    /// <summary>overlayfs marks what it copies up (trusted.overlay.*); mkfs -d would copy those xattrs into the guest.</summary>
    private static void StripOverlayXattrs(string path)
    {
        var z = Staging.StagingName.Z(Encoding.UTF8.GetBytes(path));
        var size = Staging.NativeMethods.LListXattr(z, null, 0);
        if (size <= 0)
        {
            return;
        }

        var list = new byte[size];
        size = Staging.NativeMethods.LListXattr(z, list, (nuint)list.Length);
        foreach (var name in Encoding.UTF8.GetString(list, 0, (int)Math.Max(0, size)).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            if (name.StartsWith("trusted.overlay.", StringComparison.Ordinal)
                && Staging.NativeMethods.LRemoveXattr(z, Staging.StagingName.Z(Encoding.UTF8.GetBytes(name))) != 0)
            {
                throw new IOException($"functional copy: cannot remove {name} from {path}: {Staging.NativeMethods.Error()}");
            }
        }
    }

    /// <summary>The paths a package's .list names, read from the volume that holds /var/lib/dpkg/info.</summary>
    private static IEnumerable<string> ReadList(IReadOnlyList<StagedVolume> volumes, string infoName)
    {
        var (v, rel) = StagedVolume.Locate(volumes, $"/var/lib/dpkg/info/{infoName}.list");
        var file = v.Lower + rel;
        return File.Exists(file) ? DpkgInfoFiles.ListedPaths(File.ReadAllText(file, Encoding.UTF8)).ToList() : [];
    }

    private static void WritePolicy(string root)
    {
        // Lands in the upper directory and is discarded with the other side effects.
        RequireRealDirectories(root, Path.Combine(root, "usr", "sbin"));
        var policy = Path.Combine(root, "usr", "sbin", "policy-rc.d");
        if (File.Exists(policy) || Directory.Exists(policy))
        {
            File.Delete(policy);
        }

        File.WriteAllText(policy, "#!/bin/sh\n# VM Teleport: no service starts while packages are installed offline\nexit 101\n");
        ExternalTool.Run("chmod", ["0755", "--", policy]);
    }

    private static Dictionary<string, (string Version, string Status)> Query(string root)
    {
        var (exit, text) = Chroot(root, TimeSpan.FromMinutes(2), ["dpkg-query", "-W", "-f", "${binary:Package}\\t${Package}\\t${Version}\\t${db:Status-Abbrev}\\n"]);
        if (exit != 0)
        {
            throw new IOException($"dpkg-query in the chroot failed with exit code {exit}: {text.Trim()}");
        }

        var states = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split('\t');
            if (f.Length == 4)
            {
                states[f[0]] = (f[2], f[3].Trim());
                states.TryAdd(f[1], (f[2], f[3].Trim()));
            }
        }

        return states;
    }

    private static bool Installed(Dictionary<string, (string Version, string Status)> states, PackageUpgrade u) =>
        (states.TryGetValue(u.InfoName, out var s) || states.TryGetValue(u.Name, out s)) && s.Status == "ii" && s.Version == u.NewVersion;

    private static string LastLineAbout(string output, string package)
    {
        var line = output.Split('\n').LastOrDefault(l => l.Contains(package, StringComparison.Ordinal) && (l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.Contains("exit status", StringComparison.Ordinal) || l.Contains("depends", StringComparison.Ordinal)));
        return line is null ? "" : " (" + line.Trim() + ")";
    }

    /// <summary>Runs a command in the chroot with a clean environment; output and errors together; killed at the timeout.</summary>
    private static (int Exit, string Output) Chroot(string root, TimeSpan timeout, IEnumerable<string> command)
    {
        var psi = new ProcessStartInfo("chroot")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.Environment.Clear();
        psi.ArgumentList.Add(root);
        psi.ArgumentList.Add("/usr/bin/env");
        psi.ArgumentList.Add("-i");
        foreach (var e in DpkgEnvironment)
        {
            psi.ArgumentList.Add(e);
        }

        foreach (var a in command)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new IOException("cannot start chroot");
        p.StandardInput.Close();
        var text = new StringBuilder();
        var gate = new object();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { text.AppendLine(e.Data); } } };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { text.AppendLine(e.Data); } } };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            throw new TimeoutException($"{string.Join(' ', command.Take(3))} in the chroot did not finish in {timeout.TotalMinutes:F0} minutes; killed");
        }

        p.WaitForExit();
        lock (gate)
        {
            return (p.ExitCode, text.ToString());
        }
    }

    /// <summary>
    /// Refuses a path under the chroot unless every component below <paramref name="root"/> is a
    /// real directory: mount(8) and file APIs follow symlinks on the host, and a guest's /proc ->
    /// /etc must not become a mount over the host's /etc.
    /// </summary>
    private static void RequireRealDirectories(string root, string path)
    {
        var current = root;
        foreach (var part in Path.GetRelativePath(root, path).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                throw new InvalidDataException($"functional copy: {path} leaves the staged guest");
            }

            current = Path.Combine(current, part);
            var info = new DirectoryInfo(current);
            if (info.LinkTarget is not null || !info.Exists)
            {
                throw new InvalidDataException($"functional copy: {current} is not a directory in the staged guest (a symlink or missing); refusing to mount or write there");
            }
        }
    }

    private static void Mount(List<string> mounts, string at, params string[] args)
    {
        if (at != mounts.FirstOrDefault() && mounts.Count > 0)
        {
            RequireRealDirectories(mounts[0], at);
        }
        else if (!Directory.Exists(at))
        {
            throw new InvalidDataException($"functional copy: the staged guest has no directory {at} to mount on");
        }

        ExternalTool.Run("mount", [.. args, at]);
        mounts.Add(at);
    }

    private static void Unmount(List<string> mounts)
    {
        for (int i = mounts.Count - 1; i >= 0; i--)
        {
            try
            {
                ExternalTool.Run("umount", [mounts[i]]);
            }
            catch (IOException)
            {
                // A process the maintainer scripts left behind may hold it; detach it now, it goes when they do.
                ExternalTool.Run("umount", ["-l", mounts[i]]);
            }
        }

        mounts.Clear();
    }
}

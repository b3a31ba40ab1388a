using System.Security.Cryptography;

namespace VmTeleport.Content.Index;

public sealed partial class ContentIndex
{
    /// <summary>Where fetched archives are kept: DATA_DIR/archives.</summary>
    public string ArchiveDirectory => Path.Combine(Path.GetDirectoryName(File)!, "archives");

    /// <summary>
    /// Fetches the archive of a package an apt-repository source lists (on demand: when the planner
    /// wants its files), checks its size and SHA-256 against the Packages index, keeps it in
    /// <see cref="ArchiveDirectory"/> and indexes it as a deb source of the repository's suite. An archive already there with
    /// the right hash is not fetched again. A download that does not match is deleted and reported
    /// failed, with nothing written.
    /// </summary>
    public AddResult FetchArchive(IndexedPackage package, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(package);
        var source = package.ArchiveLocation
            ?? throw new ArgumentException($"package {package.Name} {package.Version} does not come from an APT repository", nameof(package));
        Directory.CreateDirectory(ArchiveDirectory);
        // apt's own naming: name_version_arch.deb with the version's ':' escaped.
        var target = Path.Combine(ArchiveDirectory, $"{package.Name}_{package.Version.Replace(":", "%3a", StringComparison.Ordinal)}_{package.Architecture}.deb");
        return Guard(SourceKind.Deb, target, null, () =>
        {
            if (System.IO.File.Exists(target) && Matches(target, package))
            {
                return AddDeb(target, package.Suite, cancel);
            }

            var partial = target + ".partial";
            try
            {
                using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write))
                {
                    using var input = OpenArchive(source, cancel);
                    input.CopyTo(output);
                }

                if (!Matches(partial, package))
                {
                    throw new InvalidDataException($"{source}: the archive of {package.Name} {package.Version} does not match the Packages index (size or SHA-256 differs)");
                }

                System.IO.File.Move(partial, target, overwrite: true);
            }
            finally
            {
                System.IO.File.Delete(partial);
            }

            return AddDeb(target, package.Suite, cancel);
        });
    }

    private static Stream OpenArchive(string location, CancellationToken cancel)
    {
        if (!location.StartsWith("http://", StringComparison.Ordinal) && !location.StartsWith("https://", StringComparison.Ordinal))
        {
            return new FileStream(location, FileMode.Open, FileAccess.Read, FileShare.Read);
        }

        try
        {
            var response = Http.GetAsync(new Uri(location), HttpCompletionOption.ResponseHeadersRead, cancel).GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
            return response.Content.ReadAsStream(cancel);
        }
        catch (HttpRequestException e)
        {
            throw new IOException($"{location}: {e.Message}", e);
        }
    }

    private static bool Matches(string path, IndexedPackage package)
    {
        if (package.ArchiveSize is long size && new FileInfo(path).Length != size)
        {
            return false;
        }

        if (package.ArchiveSha256 is null)
        {
            return true;
        }

        using var f = System.IO.File.OpenRead(path);
        return SHA256.HashData(f).AsSpan().SequenceEqual(package.ArchiveSha256);
    }
}

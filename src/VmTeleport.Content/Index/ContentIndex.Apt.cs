using System.Diagnostics;
using System.Security.Cryptography;

namespace VmTeleport.Content.Index;

public sealed partial class ContentIndex
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>
    /// Indexes an APT repository by its Packages index (a local path, file:// or http(s):// URL to
    /// Packages, Packages.gz or Packages.xz): a source of kind apt-repository whose packages carry
    /// each archive's location, size and SHA-256. No archive is fetched: their files are not in the
    /// index until a .deb is fetched and added (not implemented yet). The index itself is read every
    /// time, since its SHA-256 is the fingerprint (a mirror's mtime says nothing).
    /// Its suite comes from the location (…/dists/SUITE/…), else from a Release (or InRelease)
    /// file beside a flat repository's index (<see cref="AptSuites.FromRelease"/>), else it is unknown.
    /// </summary>
    public AddResult AddAptRepository(string packagesIndex, CancellationToken cancel = default) => AddAptRepository(packagesIndex, null, cancel);

    /// <summary>
    /// <see cref="AddAptRepository(string, CancellationToken)"/>, with <paramref name="suite"/> as the
    /// suite when neither the location nor a Release file names one.
    /// </summary>
    public AddResult AddAptRepository(string packagesIndex, string? suite, CancellationToken cancel = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(packagesIndex);
        if (suite is not null && !AptSuites.IsValid(suite))
        {
            throw new ArgumentException($"\"{suite}\" is not a suite name (one word without '/' or spaces, e.g. bookworm-security)", nameof(suite));
        }

        bool remote = packagesIndex.StartsWith("http://", StringComparison.Ordinal) || packagesIndex.StartsWith("https://", StringComparison.Ordinal);
        var location = remote ? packagesIndex
            : Path.GetFullPath(packagesIndex.StartsWith("file://", StringComparison.Ordinal) ? packagesIndex["file://".Length..] : packagesIndex);
        return Guard(SourceKind.AptRepository, location, null, () =>
        {
            var clock = Stopwatch.StartNew();
            byte[] data;
            long mtime = 0;
            if (remote)
            {
                try
                {
                    data = Http.GetByteArrayAsync(new Uri(location), cancel).GetAwaiter().GetResult();
                }
                catch (HttpRequestException e)
                {
                    throw new IOException($"{location}: {e.Message}", e);
                }
            }
            else
            {
                (_, mtime) = SourceFingerprint.Stat(location);
                data = System.IO.File.ReadAllBytes(location);
            }

            var fingerprint = $"apt-packages sha256={Convert.ToHexStringLower(SHA256.HashData(data))}";
            var found = AptSuites.FromLocation(location) ?? ReleaseSuite(location, remote, cancel) ?? suite;
            if (Unchanged(SourceKind.AptRepository, location, null, fingerprint) is { } skipped)
            {
                SetSuite(location, found);
                return skipped with { BytesRead = data.Length };
            }

            bool replaced = Find(location, null) is not null;
            var packages = AptPackagesIndex.Parse(data, location);
            using var writer = new SourceWriter(_connection, new SourceRow(SourceKind.AptRepository, location, null, "apt-packages", data.Length, mtime, fingerprint) { Suite = found });
            foreach (var p in packages)
            {
                writer.AddPackage(p.Name, p.Version, p.Architecture, AptPackagesIndex.ArchiveLocation(location, p.Filename), p.Size, p.Sha256);
            }

            writer.Commit();
            return new AddResult
            {
                Kind = SourceKind.AptRepository,
                Location = location,
                Outcome = replaced ? AddOutcome.Replaced : AddOutcome.Added,
                BytesRead = data.Length,
                Elapsed = clock.Elapsed,
            };
        });
    }

    /// <summary>
    /// The suite a flat repository's Release (else InRelease) file beside its Packages index names;
    /// null when there is none. The file is only a label: a missing or unreadable one is no error.
    /// </summary>
    private static string? ReleaseSuite(string location, bool remote, CancellationToken cancel)
    {
        var directory = location[..Math.Max(0, location.LastIndexOf('/'))];
        foreach (var name in new[] { "Release", "InRelease" })
        {
            var release = directory + "/" + name;
            string? text = null;
            if (remote)
            {
                try
                {
                    using var response = Http.GetAsync(new Uri(release), cancel).GetAwaiter().GetResult();
                    text = response.IsSuccessStatusCode ? response.Content.ReadAsStringAsync(cancel).GetAwaiter().GetResult() : null;
                }
                catch (HttpRequestException)
                {
                    text = null;
                }
            }
            else if (System.IO.File.Exists(release))
            {
                text = System.IO.File.ReadAllText(release);
            }

            if (text is not null && AptSuites.FromRelease(text) is { } suite && AptSuites.IsValid(suite))
            {
                return suite;
            }
        }

        return null;
    }
}

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
    /// </summary>
    public AddResult AddAptRepository(string packagesIndex, CancellationToken cancel = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(packagesIndex);
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
            if (Unchanged(SourceKind.AptRepository, location, null, fingerprint) is { } skipped)
            {
                return skipped with { BytesRead = data.Length };
            }

            bool replaced = Find(location, null) is not null;
            var packages = AptPackagesIndex.Parse(data, location);
            using var writer = new SourceWriter(_connection, new SourceRow(SourceKind.AptRepository, location, null, "apt-packages", data.Length, mtime, fingerprint));
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
}

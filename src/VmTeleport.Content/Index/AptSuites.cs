namespace VmTeleport.Content.Index;

/// <summary>
/// APT suites as the index records them: "bookworm", "bookworm-security", "bookworm-updates",
/// "bookworm-backports", … . A suite names a release (its codename, the part before the first
/// "-") and a pocket of it; the Debian archive's layout (dists/SUITE/COMPONENT/binary-ARCH/) and
/// Release files (their Suite: and Codename: fields) say which.
/// </summary>
public static class AptSuites
{
    /// <summary>The suite in a Packages index's URL or path: the directory after "/dists/", or null for a flat repository.</summary>
    public static string? FromLocation(string packagesLocation)
    {
        ArgumentNullException.ThrowIfNull(packagesLocation);
        int dists = packagesLocation.LastIndexOf("/dists/", StringComparison.Ordinal);
        if (dists < 0)
        {
            return null;
        }

        var rest = packagesLocation[(dists + "/dists/".Length)..];
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        var suite = slash < 0 ? rest : rest[..slash];
        return suite.Length == 0 ? null : suite;
    }

    /// <summary>
    /// The suite a Release (or InRelease) file declares: its Suite field, else its Codename, else
    /// null. Only the first paragraph's fields count (the file lists checksums after them).
    /// Debian's own Release files name a moving alias as Suite ("stable", "stable-security") and
    /// the release as Codename ("bookworm", "bookworm-security"): the alias says nothing once the
    /// next release is out, so then the Codename is taken.
    /// </summary>
    public static string? FromRelease(string releaseText)
    {
        ArgumentNullException.ThrowIfNull(releaseText);
        string? suite = null, codename = null;
        foreach (var raw in releaseText.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("-----BEGIN PGP SIGNED", StringComparison.Ordinal) || line.StartsWith("Hash:", StringComparison.Ordinal))
            {
                continue; // InRelease's clearsign armour before the fields
            }

            if (line.Length == 0 && (suite is not null || codename is not null))
            {
                break;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line[0] is ' ' or '\t')
            {
                continue;
            }

            var value = line[(colon + 1)..].Trim();
            switch (line[..colon].ToLowerInvariant())
            {
                case "suite" when value.Length > 0:
                    suite = value;
                    break;
                case "codename" when value.Length > 0:
                    codename = value;
                    break;
            }
        }

        return suite is not null && codename is not null && Aliases.Contains(Codename(suite)) ? codename : suite ?? codename;
    }

    private static readonly HashSet<string> Aliases = new(StringComparer.Ordinal) { "stable", "oldstable", "oldoldstable", "testing", "unstable" };

    /// <summary>The release a suite belongs to: "bookworm" for "bookworm-security" and for "bookworm".</summary>
    public static string Codename(string suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        int dash = suite.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? suite : suite[..dash];
    }

    /// <summary>
    /// Whether a suite name can be stored: non-empty, no whitespace or '/' (a suite is one path
    /// segment under dists/), at most 100 characters.
    /// </summary>
    public static bool IsValid(string? suite) =>
        suite is { Length: > 0 and <= 100 } && !suite.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '/');
}

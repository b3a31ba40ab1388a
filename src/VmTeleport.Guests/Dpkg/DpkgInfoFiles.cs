namespace VmTeleport.Guests.Dpkg;

/// <summary>
/// Reading dpkg's info directory from outside a guest's merged view: which info files are a
/// package's, and the paths its .list names.
/// </summary>
public static class DpkgInfoFiles
{
    /// <summary>
    /// Whether an info file (a name in /var/lib/dpkg/info) is the package's: "perl.list" is perl's,
    /// "perl-base.list" is not, and since package names may hold dots (libgtk2.0-0), the part after
    /// the info name must be one plain word.
    /// </summary>
    public static bool BelongsTo(string fileName, string infoName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(infoName);
        return fileName.Length > infoName.Length + 1 && fileName.StartsWith(infoName, StringComparison.Ordinal) && fileName[infoName.Length] == '.'
            && !fileName.AsSpan(infoName.Length + 1).ContainsAny('.', '/');
    }

    /// <summary>The absolute paths a .list names, without the root ("/.") and without trailing slashes.</summary>
    public static IEnumerable<string> ListedPaths(string listText)
    {
        ArgumentNullException.ThrowIfNull(listText);
        return listText.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith('/') && l != "/.")
            .Select(l => l.Length > 1 ? l.TrimEnd('/') : l);
    }
}

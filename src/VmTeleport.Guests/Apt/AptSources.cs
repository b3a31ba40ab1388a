using System.Security.Cryptography;
using VmTeleport.FileSystems;

namespace VmTeleport.Guests.Apt;

/// <summary>
/// Reads a guest's APT sources and the keyrings they trust, without apt: /etc/apt/sources.list
/// (one-line), /etc/apt/sources.list.d/*.list (one-line) and *.sources (deb822), in apt's order;
/// keyrings in /etc/apt/trusted.gpg, /etc/apt/trusted.gpg.d, /etc/apt/keyrings and every
/// signed-by path. Apt's configurable directories (Dir::Etc::*) are taken at their defaults.
/// </summary>
public static class AptSources
{
    public const string MainList = "/etc/apt/sources.list";
    public const string PartsDirectory = "/etc/apt/sources.list.d";
    public const string TrustedKeyring = "/etc/apt/trusted.gpg";
    public const string TrustedDirectory = "/etc/apt/trusted.gpg.d";
    public const string KeyringsDirectory = "/etc/apt/keyrings";

    /// <summary>The most sources (entries or stanzas) read from one guest.</summary>
    public const int MaxSources = 4096;

    /// <summary>The most keyrings described for one guest.</summary>
    public const int MaxKeyrings = 1024;

    /// <summary>Files apt skips without a word (its default Dir::Ignore-Files-Silently).</summary>
    private static readonly string[] SilentSuffixes = ["~", ".disabled", ".bak", ".save", ".orig", ".distUpgrade"];

    /// <summary>
    /// Reads the APT configuration of <paramref name="guest"/>. A missing file is not a problem (a
    /// guest without apt yields empty lists); a malformed line, an unreadable file or a signed-by
    /// path missing from the guest is recorded in <paramref name="problems"/> and reading goes on.
    /// </summary>
    public static AptConfiguration Read(IFileSystem guest, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(guest);
        ArgumentNullException.ThrowIfNull(problems);

        var sources = new List<AptSource>();
        if (GuestFiles.Resolve(guest, MainList, problems) is { } main)
        {
            ReadSourceFile(guest, MainList, main, deb822: false, sources, problems);
        }

        foreach (var name in GuestFiles.ListNames(guest, PartsDirectory, problems))
        {
            string path = GuestFiles.Combine(PartsDirectory, name);
            if (IsSilentlyIgnored(name))
            {
                continue;
            }

            bool list = name.EndsWith(".list", StringComparison.Ordinal);
            bool deb822 = name.EndsWith(".sources", StringComparison.Ordinal);
            if (!HasValidCharacters(name) || !(list || deb822))
            {
                // apt prints a notice for these ("Ignoring file ... invalid filename extension").
                problems.Add($"{path}: ignored by apt (only *.list and *.sources named with A-Z a-z 0-9 _ - . are read)");
                continue;
            }

            if (!GuestFiles.TryResolve(guest, path, out var entry, out var error))
            {
                // Listed, so it exists: a dangling symlink, a loop, or damaged metadata.
                problems.Add(error ?? $"{path}: symlink whose target does not exist in the guest; skipped");
                continue;
            }

            ReadSourceFile(guest, path, entry!, deb822, sources, problems);
        }

        return new AptConfiguration { Sources = sources, Keyrings = ReadKeyrings(guest, sources, problems) };
    }

    private static void ReadSourceFile(
        IFileSystem guest, string path, FileSystemEntry entry, bool deb822, List<AptSource> into, ICollection<string> problems)
    {
        if (entry.Type == EntryType.Directory)
        {
            return; // apt reads regular files only and says nothing about directories
        }

        var bytes = GuestFiles.ReadAll(guest, entry, path, problems);
        if (bytes is null)
        {
            return;
        }

        string text = System.Text.Encoding.UTF8.GetString(bytes);
        if (deb822)
        {
            Deb822SourceFormat.Parse(path, text, into, problems, MaxSources);
        }
        else
        {
            OneLineSourceFormat.Parse(path, text, into, problems, MaxSources);
        }
    }

    private static List<AptKeyring> ReadKeyrings(IFileSystem guest, List<AptSource> sources, ICollection<string> problems)
    {
        var references = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        void Reference(string path, string? by)
        {
            if (!references.TryGetValue(path, out var set))
            {
                set = new SortedSet<string>(StringComparer.Ordinal);
                references[path] = set;
            }

            if (by is not null)
            {
                set.Add(by);
            }
        }

        if (GuestFiles.Exists(guest, TrustedKeyring))
        {
            Reference(TrustedKeyring, "global");
        }

        // apt (and gpgv through it) uses only *.gpg and *.asc in trusted.gpg.d.
        foreach (var name in GuestFiles.ListNames(guest, TrustedDirectory, problems))
        {
            if (HasValidCharacters(name) && (name.EndsWith(".gpg", StringComparison.Ordinal) || name.EndsWith(".asc", StringComparison.Ordinal)))
            {
                Reference(GuestFiles.Combine(TrustedDirectory, name), "global");
            }
        }

        foreach (var name in GuestFiles.ListNames(guest, KeyringsDirectory, problems))
        {
            Reference(GuestFiles.Combine(KeyringsDirectory, name), null);
        }

        foreach (var source in sources)
        {
            foreach (var value in source.SignedBy)
            {
                if (value == "inline" || IsFingerprint(value))
                {
                    continue;
                }

                if (!value.StartsWith('/'))
                {
                    problems.Add($"{source.File}:{source.Line}: signed-by '{value}' is neither an absolute path nor a key fingerprint");
                    continue;
                }

                if (!GuestFiles.Exists(guest, value))
                {
                    // apt ignores disabled stanzas, so a missing keyring matters only for enabled ones.
                    if (source.Enabled)
                    {
                        problems.Add($"{source.File}:{source.Line}: signed-by {value} does not exist in the guest");
                    }

                    continue;
                }

                Reference(value, source.File);
            }
        }

        var keyrings = new List<AptKeyring>();
        foreach (var (path, by) in references)
        {
            if (keyrings.Count == MaxKeyrings)
            {
                problems.Add($"more than {MaxKeyrings} APT keyrings; the rest are not described");
                break;
            }

            if (Describe(guest, path, [.. by], problems) is { } keyring)
            {
                keyrings.Add(keyring);
            }
        }

        return keyrings;
    }

    private static AptKeyring? Describe(IFileSystem guest, string path, IReadOnlyList<string> referencedBy, ICollection<string> problems)
    {
        var entry = GuestFiles.Resolve(guest, path, problems);
        if (entry is null || entry.Type == EntryType.Directory)
        {
            return null;
        }

        if (entry.Type != EntryType.File)
        {
            problems.Add($"{path}: keyring is a {entry.Type.ToString().ToLowerInvariant()}, not a regular file");
            return null;
        }

        string? sha256 = null;
        string format;
        if (entry.Size <= GuestFiles.MaxFileBytes)
        {
            var bytes = GuestFiles.ReadAll(guest, entry, path, problems);
            if (bytes is null)
            {
                return null;
            }

            sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
            format = KeyringFormat.Detect(bytes.AsSpan(0, Math.Min(bytes.Length, KeyringFormat.PrefixLength)));
        }
        else
        {
            problems.Add($"{path}: keyring of {entry.Size} bytes is larger than the {GuestFiles.MaxFileBytes} bytes read; not hashed");
            try
            {
                var prefix = new byte[KeyringFormat.PrefixLength];
                using var stream = guest.OpenRead(entry);
                stream.ReadExactly(prefix);
                format = KeyringFormat.Detect(prefix);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException)
            {
                problems.Add(GuestFiles.Prefix(path, e.Message));
                return null;
            }
        }

        return new AptKeyring { Path = path, Size = entry.Size, Sha256 = sha256, Format = format, ReferencedBy = referencedBy };
    }

    /// <summary>A key id or fingerprint as apt accepts in signed-by: 16 or 40 hex digits, optionally followed by '!'.</summary>
    private static bool IsFingerprint(string value)
    {
        var hex = value.TrimEnd('!');
        return hex.Length is 16 or 40 or 64 && hex.All(Uri.IsHexDigit);
    }

    /// <summary>run-parts' rule, which apt applies to the files of its .d directories.</summary>
    private static bool HasValidCharacters(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    private static bool IsSilentlyIgnored(string name) =>
        SilentSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal))
        || System.Text.RegularExpressions.Regex.IsMatch(name, @"\.(dpkg|ucf)-[a-z]+$");
}

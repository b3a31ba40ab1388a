namespace VmTeleport.Guests.Classes;

/// <summary>
/// Which unowned entries are ephemeral: the documented default rules (docs/file-classes.md),
/// then a user's policy file, then the swap files the guest's fstab names. The last rule that
/// matches a path decides. Ownership comes first: an entry a package owns is never ephemeral.
/// </summary>
public sealed class ClassPolicy
{
    /// <summary>The default policy, in the policy-file syntax.</summary>
    public const string DefaultText = """
        # Kernel and runtime filesystems: whatever a powered-off disk holds below them is stale.
        ephemeral /proc/**
        ephemeral /sys/**
        ephemeral /dev/**
        ephemeral /run/**
        ephemeral /var/run/**
        ephemeral /var/lock/**
        # Temporary files.
        ephemeral /tmp/**
        ephemeral /var/tmp/**
        # Package managers' downloads and indexes: fetched again when needed.
        ephemeral /var/cache/apt/archives/**
        ephemeral /var/cache/apt/*.bin
        ephemeral /var/lib/apt/lists/**
        ephemeral /var/cache/dnf/**
        ephemeral /var/cache/yum/**
        ephemeral /var/cache/zypp/**
        # Caches that are rebuilt on demand.
        ephemeral /var/cache/man/**
        ephemeral /var/cache/debconf/*-old
        # Swap files (fstab's swap files are added to these).
        ephemeral /swapfile
        ephemeral /swap.img
        """;

    private readonly List<ClassRule> _rules;

    private ClassPolicy(List<ClassRule> rules) => _rules = rules;

    public IReadOnlyList<ClassRule> Rules => _rules;

    public static ClassPolicy Default => new(Parse(DefaultText, "default policy"));

    /// <summary>The default rules followed by those of <paramref name="text"/>, which override them.</summary>
    public static ClassPolicy WithOverrides(string text, string source)
    {
        var rules = Parse(DefaultText, "default policy");
        rules.AddRange(Parse(text, source));
        return new ClassPolicy(rules);
    }

    /// <summary>A copy with one more rule at the end (for example a swap file named in fstab).</summary>
    public ClassPolicy With(ClassRule rule) => new([.. _rules, rule]);

    /// <summary>Whether the policy makes an unowned <paramref name="path"/> ephemeral.</summary>
    public bool IsEphemeral(string path)
    {
        for (int i = _rules.Count - 1; i >= 0; i--)
        {
            if (_rules[i].Glob.IsMatch(path))
            {
                return _rules[i].Ephemeral;
            }
        }

        return false;
    }

    /// <summary>Lines "ephemeral PATTERN" or "keep PATTERN"; blank lines and "#" comments ignored.</summary>
    private static List<ClassRule> Parse(string text, string source)
    {
        var rules = new List<ClassRule>();
        int number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int space = line.IndexOfAny([' ', '\t']);
            var verb = space < 0 ? line : line[..space];
            var pattern = space < 0 ? string.Empty : line[(space + 1)..].Trim();
            if (verb is not ("ephemeral" or "keep") || pattern.Length == 0)
            {
                throw new InvalidDataException($"{source}:{number}: expected \"ephemeral PATTERN\" or \"keep PATTERN\", found: {line}");
            }

            try
            {
                rules.Add(new ClassRule(verb == "ephemeral", new PathGlob(pattern), $"{source}:{number}"));
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"{source}:{number}: {e.Message}", e);
            }
        }

        return rules;
    }
}

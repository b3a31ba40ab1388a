namespace VmTeleport.Guests.Classes;

/// <summary>
/// Where an entry's bytes can come from at the destination (docs/file-classes.md).
/// </summary>
public enum FileClass
{
    /// <summary>Owned by an installed package and byte-identical to what it shipped.</summary>
    Package,

    /// <summary>Owned by a package, but its content differs (an edited conffile, a changed file) or cannot be checked.</summary>
    PackageModified,

    /// <summary>No package owns it: user data, databases, websites, hand-installed software.</summary>
    Unowned,

    /// <summary>Recreated by the system or not worth keeping: /tmp, /run, apt's downloaded archives, swap files.</summary>
    Ephemeral,
}

/// <summary>The names classes have in the description, the manifest and policy files.</summary>
public static class FileClasses
{
    public static readonly IReadOnlyList<FileClass> All = [FileClass.Package, FileClass.PackageModified, FileClass.Unowned, FileClass.Ephemeral];

    public static string Name(this FileClass c) => c switch
    {
        FileClass.Package => "package",
        FileClass.PackageModified => "package-modified",
        FileClass.Unowned => "unowned",
        FileClass.Ephemeral => "ephemeral",
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    public static FileClass Parse(string name) => name switch
    {
        "package" => FileClass.Package,
        "package-modified" => FileClass.PackageModified,
        "unowned" => FileClass.Unowned,
        "ephemeral" => FileClass.Ephemeral,
        _ => throw new FormatException($"unknown file class \"{name}\" (package, package-modified, unowned, ephemeral)"),
    };
}

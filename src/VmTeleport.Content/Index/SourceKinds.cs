namespace VmTeleport.Content.Index;

/// <summary>The names <see cref="SourceKind"/>s have in the database and in JSON.</summary>
public static class SourceKinds
{
    public static string Name(this SourceKind kind) => kind switch
    {
        SourceKind.Image => "image",
        SourceKind.Snapshot => "snapshot",
        SourceKind.Backing => "backing",
        SourceKind.Deb => "deb",
        SourceKind.AptRepository => "apt-repository",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown source kind"),
    };

    public static SourceKind Parse(string name) => name switch
    {
        "image" => SourceKind.Image,
        "snapshot" => SourceKind.Snapshot,
        "backing" => SourceKind.Backing,
        "deb" => SourceKind.Deb,
        "apt-repository" => SourceKind.AptRepository,
        _ => throw new InvalidDataException($"content index: unknown source kind \"{name}\""),
    };
}

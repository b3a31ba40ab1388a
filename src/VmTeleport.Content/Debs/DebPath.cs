namespace VmTeleport.Content.Debs;

/// <summary>
/// Turns a tar member name as dpkg writes it ("./usr/bin/ls", "./usr/share/", "./") into the path
/// the file gets in the guest ("/usr/bin/ls", "/usr/share", "/"). Names that could leave the root
/// ("..") or are not names at all are corrupt input, never silently repaired.
/// </summary>
internal static class DebPath
{
    public static string Normalize(string name, string archive, string member)
    {
        if (name.Length == 0 || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{archive}: {member} holds an entry with an empty or NUL-containing name");
        }

        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            switch (part)
            {
                case "" or ".":
                    continue;
                case "..":
                    throw new InvalidDataException(
                        $"{archive}: {member} entry \"{name}\" has a \"..\" component (a path that could leave the root)");
                default:
                    parts.Add(part);
                    break;
            }
        }

        return "/" + string.Join('/', parts);
    }
}

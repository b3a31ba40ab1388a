namespace VmTeleport.Transfer.Agent;

/// <summary>One VM an agent serves: its name on the wire, its disk image (IMAGE[@SNAP]) and optionally its libvirt domain XML.</summary>
public sealed record ServedImage(string Name, string ImageSpec, string? DomainXml = null)
{
    /// <summary>
    /// Parses <c>[NAME=]IMAGE[@SNAP]</c>; without NAME the image file's name without its extension.
    /// Names are 1–64 characters of [A-Za-z0-9._-] so that they fit in a URL path segment as they are.
    /// </summary>
    public static ServedImage Parse(string spec, string? domainXml = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(spec);
        int eq = spec.IndexOf('=', StringComparison.Ordinal);
        string name, image;
        if (eq > 0 && IsName(spec[..eq]))
        {
            name = spec[..eq];
            image = spec[(eq + 1)..];
        }
        else
        {
            image = spec;
            var file = Path.GetFileName(Disks.DiskImage.SplitSpec(spec).Path);
            name = Path.GetFileNameWithoutExtension(file);
        }

        if (!IsName(name))
        {
            throw new ArgumentException($"VM name \"{name}\" (from \"{spec}\") is not 1 to 64 characters of letters, digits, '.', '_' and '-'; give one as NAME=IMAGE");
        }

        return new ServedImage(name, image, domainXml);
    }

    public static bool IsName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') && name is not "." and not "..";
}

using System.Xml.Linq;

namespace VmTeleport.Guests.Hardware;

/// <summary>
/// Reads libvirt domain XML (https://libvirt.org/formatdomain.html) and snapshot XML
/// (https://libvirt.org/formatsnapshot.html) into <see cref="DomainHardware"/> and
/// <see cref="DomainSnapshot"/>. Unknown elements are ignored; absent ones become null.
/// Malformed XML, a root that is not &lt;domain&gt; / &lt;domainsnapshot&gt; and values libvirt
/// would refuse throw <see cref="InvalidDataException"/> naming the source, the element and
/// the line.
/// </summary>
public static partial class DomainXml
{
    /// <summary>Parses a &lt;domain&gt; document; <paramref name="sourceName"/> names it in errors and in <see cref="DomainHardware.ReadFrom"/>.</summary>
    public static DomainHardware Parse(string xml, string sourceName)
    {
        var source = XmlSource.Load(xml, sourceName, "domain");
        var root = source.Root;
        string name = XmlSource.Text(root.Element("name")) ?? throw source.Fail(root, "has no <name>");
        var os = root.Element("os");
        var osType = os?.Element("type");
        var vcpu = root.Element("vcpu");
        var devices = root.Element("devices");

        return new DomainHardware
        {
            ReadFrom = sourceName,
            Name = name,
            Uuid = ReadUuid(source, root.Element("uuid")),
            DomainType = XmlSource.Attr(root, "type"),
            Title = XmlSource.Text(root.Element("title")),
            Vcpus = Positive(source, vcpu, source.IntText(vcpu)),
            CurrentVcpus = Positive(source, vcpu, source.IntAttr(vcpu, "current")),
            MemoryBytes = source.MemoryBytes(root.Element("memory")),
            CurrentMemoryBytes = source.MemoryBytes(root.Element("currentMemory")),
            MaxMemoryBytes = source.MemoryBytes(root.Element("maxMemory")),
            Arch = XmlSource.Attr(osType, "arch"),
            MachineType = XmlSource.Attr(osType, "machine"),
            OsType = XmlSource.Text(osType),
            Firmware = ReadFirmware(source, os, XmlSource.Text(osType), XmlSource.Attr(osType, "arch")),
            BootDevices = os is null ? [] : [.. os.Elements("boot").Select(b => XmlSource.Attr(b, "dev")).OfType<string>()],
            Cpu = ReadCpu(source, root.Element("cpu")),
            Features = ReadFeatures(root.Element("features")),
            Emulator = XmlSource.Text(devices?.Element("emulator")),
            Disks = devices is null ? [] : [.. devices.Elements("disk").Select(d => ReadDisk(source, d))],
            Interfaces = devices is null ? [] : [.. devices.Elements("interface").Select(i => ReadInterface(source, i))],
            Controllers = devices is null ? [] : [.. devices.Elements("controller").Select(c => ReadController(source, c))],
            Graphics = devices is null ? [] : [.. devices.Elements("graphics").Select(g => ReadGraphics(source, g))],
            Video = devices is null ? [] : [.. devices.Elements("video").Select(v => ReadVideo(source, v)).OfType<DomainVideo>()],
            Tpms = devices is null ? [] : [.. devices.Elements("tpm").Select(ReadTpm)],
        };
    }

    private static string? ReadUuid(XmlSource source, XElement? element)
    {
        string? text = XmlSource.Text(element);
        if (text is null)
        {
            return null;
        }

        // libvirt accepts the 32 hex digits with or without dashes (virUUIDParse); keep one spelling.
        if (!Guid.TryParse(text, out var uuid))
        {
            throw source.Fail(element!, $"'{text}' is not a UUID");
        }

        return uuid.ToString("D");
    }

    private static int? Positive(XmlSource source, XElement? element, int? value)
    {
        if (value == 0)
        {
            throw source.Fail(element!, "a domain needs at least one vCPU");
        }

        return value;
    }

    /// <summary>
    /// BIOS or UEFI. libvirt states it with &lt;os firmware&gt; (automatic selection) or implies
    /// it with a &lt;loader&gt;: a pflash loader, an nvram store or an OVMF/AAVMF/edk2 image is
    /// UEFI; a rom loader is a custom BIOS. An x86 hvm guest without a loader boots SeaBIOS.
    /// </summary>
    private static DomainFirmware ReadFirmware(XmlSource source, XElement? os, string? osType, string? arch)
    {
        var loader = os?.Element("loader");
        var nvram = os?.Element("nvram");
        string? declared = XmlSource.Attr(os, "firmware");
        if (declared is not null and not "bios" and not "efi")
        {
            throw source.Fail(os!, $"firmware='{declared}' is neither bios nor efi");
        }

        string? loaderPath = XmlSource.Text(loader);
        string? loaderType = XmlSource.Attr(loader, "type");
        string? nvramPath = XmlSource.Attr(nvram?.Element("source"), "file") ?? XmlSource.Text(nvram);
        string? kind = declared;
        if (kind is null && (loader is not null || nvram is not null))
        {
            kind = loaderType == "pflash" || nvram is not null || LooksLikeUefi(loaderPath) ? "efi" : "bios";
        }
        else if (kind is null && osType is null or "hvm" && arch is null or "x86_64" or "i686")
        {
            kind = "bios";
        }

        bool? secureBoot = null;
        var features = os?.Element("firmware")?.Elements("feature") ?? [];
        foreach (var feature in features)
        {
            if (XmlSource.Attr(feature, "name") == "secure-boot")
            {
                secureBoot = source.BoolAttr(feature, "enabled");
            }
        }

        bool? loaderSecure = source.BoolAttr(loader, "secure");
        return new DomainFirmware
        {
            Kind = kind,
            AutoSelected = declared is not null,
            LoaderPath = loaderPath,
            LoaderType = loaderType,
            LoaderReadOnly = source.BoolAttr(loader, "readonly"),
            LoaderSecure = loaderSecure,
            NvramPath = nvramPath,
            NvramTemplate = XmlSource.Attr(nvram, "template"),
            SecureBoot = secureBoot ?? loaderSecure,
        };
    }

    private static bool LooksLikeUefi(string? loaderPath) =>
        loaderPath is not null
        && (loaderPath.Contains("ovmf", StringComparison.OrdinalIgnoreCase)
            || loaderPath.Contains("aavmf", StringComparison.OrdinalIgnoreCase)
            || loaderPath.Contains("edk2", StringComparison.OrdinalIgnoreCase)
            || loaderPath.Contains("efi", StringComparison.OrdinalIgnoreCase));

    private static DomainCpu? ReadCpu(XmlSource source, XElement? cpu)
    {
        if (cpu is null)
        {
            return null;
        }

        var topology = cpu.Element("topology");
        return new DomainCpu
        {
            Mode = XmlSource.Attr(cpu, "mode"),
            Model = XmlSource.Text(cpu.Element("model")),
            Match = XmlSource.Attr(cpu, "match"),
            Vendor = XmlSource.Text(cpu.Element("vendor")),
            Sockets = source.IntAttr(topology, "sockets"),
            Dies = source.IntAttr(topology, "dies"),
            Cores = source.IntAttr(topology, "cores"),
            Threads = source.IntAttr(topology, "threads"),
        };
    }

    /// <summary>The features turned on: &lt;acpi/&gt;, &lt;smm state='on'/&gt;; state='off' ones are left out.</summary>
    private static IReadOnlyList<string> ReadFeatures(XElement? features) =>
        features is null
            ? []
            : [.. features.Elements()
                .Where(f => XmlSource.Attr(f, "state") is not ("off" or "no"))
                .Select(f => f.Name.LocalName)];
}

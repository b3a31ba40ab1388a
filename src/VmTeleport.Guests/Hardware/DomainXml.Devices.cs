using System.Xml.Linq;

namespace VmTeleport.Guests.Hardware;

/// <summary>The &lt;devices&gt; children a destination re-creates (formatdomain.html, "Devices").</summary>
public static partial class DomainXml
{
    /// <summary>
    /// Chains longer than this are refused as hostile. Real chains are a few layers; the cap sits
    /// below what <see cref="XmlSource.MaxDepth"/> lets through (a chain starts three levels down
    /// and each layer nests one deeper), so this check, not the depth one, names the problem.
    /// </summary>
    internal const int MaxBackingChain = 200;

    private static DomainDisk ReadDisk(XmlSource source, XElement disk)
    {
        var driver = disk.Element("driver");
        var target = disk.Element("target");
        return new DomainDisk
        {
            Device = XmlSource.Attr(disk, "device") ?? "disk",
            Bus = XmlSource.Attr(target, "bus"),
            TargetDev = XmlSource.Attr(target, "dev"),
            DriverName = XmlSource.Attr(driver, "name"),
            DriverType = XmlSource.Attr(driver, "type"),
            Source = ReadSource(disk, disk.Element("source")),
            ReadOnly = disk.Element("readonly") is not null,
            Shareable = disk.Element("shareable") is not null,
            BootOrder = source.IntAttr(disk.Element("boot"), "order"),
            Serial = XmlSource.Text(disk.Element("serial")),
            BackingChain = ReadBackingChain(source, disk),
        };
    }

    /// <summary>
    /// &lt;source&gt; of a disk or backing store. The type lives on the parent element and
    /// defaults to "file"; a source with none of the known attributes (an empty cdrom) is null.
    /// </summary>
    private static DomainDiskSource? ReadSource(XElement owner, XElement? element)
    {
        var result = new DomainDiskSource
        {
            Type = XmlSource.Attr(owner, "type") ?? "file",
            File = XmlSource.Attr(element, "file"),
            Dev = XmlSource.Attr(element, "dev"),
            Dir = XmlSource.Attr(element, "dir"),
            Pool = XmlSource.Attr(element, "pool"),
            Volume = XmlSource.Attr(element, "volume"),
            Protocol = XmlSource.Attr(element, "protocol"),
            Name = XmlSource.Attr(element, "name"),
        };
        bool empty = result.File is null && result.Dev is null && result.Dir is null && result.Pool is null
            && result.Volume is null && result.Protocol is null && result.Name is null;
        return empty ? null : result;
    }

    /// <summary>
    /// Nested &lt;backingStore&gt; elements, nearest layer first. An empty &lt;backingStore/&gt;
    /// ends the chain; no element at all means the XML does not say (formatdomain.html,
    /// "backingStore").
    /// </summary>
    private static List<DomainBackingStore>? ReadBackingChain(XmlSource source, XElement disk)
    {
        var layer = disk.Element("backingStore");
        if (layer is null)
        {
            return null;
        }

        var chain = new List<DomainBackingStore>();
        while (layer is not null && (layer.HasAttributes || layer.HasElements))
        {
            if (chain.Count == MaxBackingChain)
            {
                throw source.Fail(layer, $"the backing chain is deeper than {MaxBackingChain} layers");
            }

            chain.Add(new DomainBackingStore
            {
                Format = XmlSource.Attr(layer.Element("format"), "type"),
                Source = ReadSource(layer, layer.Element("source")),
            });
            layer = layer.Element("backingStore");
        }

        return chain;
    }

    private static DomainInterface ReadInterface(XmlSource source, XElement nic)
    {
        var src = nic.Element("source");
        return new DomainInterface
        {
            Type = XmlSource.Attr(nic, "type") ?? throw source.Fail(nic, "has no type attribute"),
            SourceNetwork = XmlSource.Attr(src, "network"),
            SourceBridge = XmlSource.Attr(src, "bridge"),
            SourceDevice = XmlSource.Attr(src, "dev"),
            SourceMode = XmlSource.Attr(src, "mode"),
            PortGroup = XmlSource.Attr(src, "portgroup"),
            Model = XmlSource.Attr(nic.Element("model"), "type"),
            Mac = XmlSource.Attr(nic.Element("mac"), "address")?.ToLowerInvariant(),
            BootOrder = source.IntAttr(nic.Element("boot"), "order"),
        };
    }

    private static DomainController ReadController(XmlSource source, XElement controller) =>
        new()
        {
            Type = XmlSource.Attr(controller, "type"),
            Index = source.IntAttr(controller, "index"),
            Model = XmlSource.Attr(controller, "model"),
        };

    private static DomainGraphics ReadGraphics(XmlSource source, XElement graphics)
    {
        // port='-1' is how libvirt writes "chosen at start" (autoport) in an inactive definition.
        int? port = source.IntAttr(graphics, "port", allowNegative: true);
        return new DomainGraphics
        {
            Type = XmlSource.Attr(graphics, "type") ?? throw source.Fail(graphics, "has no type attribute"),
            Listen = XmlSource.Attr(graphics, "listen") ?? XmlSource.Attr(graphics.Element("listen"), "address"),
            Port = port is < 0 ? null : port,
        };
    }

    /// <summary>&lt;video&gt;&lt;model&gt;; vram is in KiB (formatdomain.html, "Video devices").</summary>
    private static DomainVideo? ReadVideo(XmlSource source, XElement video)
    {
        var model = video.Element("model");
        string? type = XmlSource.Attr(model, "type");
        if (type is null)
        {
            return null;
        }

        ulong? vram = source.UnsignedAttr(model, "vram");
        long? vramBytes = null;
        if (vram is not null)
        {
            vramBytes = vram.Value <= (ulong)(long.MaxValue / 1024)
                ? (long)vram.Value * 1024
                : throw source.Fail(model!, $"vram='{vram}' KiB is more than {long.MaxValue} bytes");
        }

        return new DomainVideo
        {
            Model = type,
            VramBytes = vramBytes,
            Heads = source.IntAttr(model, "heads"),
        };
    }

    private static DomainTpm ReadTpm(XElement tpm)
    {
        var backend = tpm.Element("backend");
        return new DomainTpm
        {
            Model = XmlSource.Attr(tpm, "model"),
            BackendType = XmlSource.Attr(backend, "type"),
            BackendVersion = XmlSource.Attr(backend, "version"),
        };
    }
}

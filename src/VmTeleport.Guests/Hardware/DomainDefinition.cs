using System.Globalization;
using System.Xml.Linq;

namespace VmTeleport.Guests.Hardware;

/// <summary>
/// Writes the libvirt domain XML that deploys a teleported VM on the destination: the source's
/// hardware (vCPUs and topology, memory, firmware — BIOS or UEFI with secure boot —, machine type,
/// CPU mode, features, NIC models, MACs and networks or bridges) with the rebuilt disk in place of
/// the source's first disk, on the same bus. What belongs to the source host is left out for the
/// destination's libvirt to choose: the UUID (a new one, so source and copy can coexist), the
/// emulator path, NVRAM file paths (a fresh one from the template), other disks and graphics
/// listeners. <see cref="DomainXml.Parse"/> reads the result back to the same hardware.
/// </summary>
public static class DomainDefinition
{
    public static string Create(DomainHardware hardware, string name, string diskPath, string diskFormat, string domainType)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(diskPath);
        var domain = new XElement("domain", new XAttribute("type", domainType),
            new XElement("name", name));
        if (hardware.Title is not null)
        {
            domain.Add(new XElement("title", hardware.Title));
        }

        if (hardware.MemoryBytes is long memory)
        {
            domain.Add(new XElement("memory", new XAttribute("unit", "KiB"), Kib(memory)));
            domain.Add(new XElement("currentMemory", new XAttribute("unit", "KiB"), Kib(hardware.CurrentMemoryBytes ?? memory)));
        }

        if (hardware.Vcpus is int vcpus)
        {
            var vcpu = new XElement("vcpu", new XAttribute("placement", "static"), vcpus);
            if (hardware.CurrentVcpus is int current && current != vcpus)
            {
                vcpu.Add(new XAttribute("current", current));
            }

            domain.Add(vcpu);
        }

        domain.Add(Os(hardware));
        if (hardware.Features.Count > 0)
        {
            domain.Add(new XElement("features", hardware.Features.Select(f => new XElement(f))));
        }

        if (hardware.Cpu is { } cpu)
        {
            domain.Add(Cpu(cpu));
        }

        var devices = new XElement("devices");
        var first = hardware.Disks.FirstOrDefault(d => d.Device == "disk");
        devices.Add(new XElement("disk", new XAttribute("type", "file"), new XAttribute("device", "disk"),
            new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", diskFormat)),
            new XElement("source", new XAttribute("file", diskPath)),
            new XElement("target", new XAttribute("dev", first?.TargetDev ?? "vda"), new XAttribute("bus", first?.Bus ?? "virtio"))));
        foreach (var nic in hardware.Interfaces)
        {
            devices.Add(Interface(nic));
        }

        devices.Add(new XElement("serial", new XAttribute("type", "pty")));
        devices.Add(new XElement("console", new XAttribute("type", "pty")));
        domain.Add(devices);
        return new XDocument(domain).ToString() + "\n";
    }

    private static string Kib(long bytes) => (bytes / 1024).ToString(CultureInfo.InvariantCulture);

    private static XElement Os(DomainHardware hw)
    {
        var os = new XElement("os");
        var fw = hw.Firmware;
        if (fw.AutoSelected && fw.Kind is { } kind)
        {
            os.Add(new XAttribute("firmware", kind));
        }

        var type = new XElement("type", hw.OsType ?? "hvm");
        if (hw.Arch is not null)
        {
            type.Add(new XAttribute("arch", hw.Arch));
        }

        if (hw.MachineType is not null)
        {
            type.Add(new XAttribute("machine", hw.MachineType));
        }

        os.Add(type);
        if (fw.AutoSelected && fw.SecureBoot is bool secure)
        {
            os.Add(new XElement("firmware", new XElement("feature", new XAttribute("enabled", secure ? "yes" : "no"), new XAttribute("name", "secure-boot"))));
        }

        if (!fw.AutoSelected && fw.LoaderPath is not null)
        {
            var loader = new XElement("loader", fw.LoaderPath);
            if (fw.LoaderReadOnly is bool ro)
            {
                loader.Add(new XAttribute("readonly", ro ? "yes" : "no"));
            }

            if (fw.LoaderSecure is bool sec)
            {
                loader.Add(new XAttribute("secure", sec ? "yes" : "no"));
            }

            if (fw.LoaderType is not null)
            {
                loader.Add(new XAttribute("type", fw.LoaderType));
            }

            os.Add(loader);
            if (fw.NvramTemplate is not null)
            {
                // The source's NVRAM file stays there; libvirt makes a fresh one from the template.
                os.Add(new XElement("nvram", new XAttribute("template", fw.NvramTemplate)));
            }
        }

        os.Add(new XElement("boot", new XAttribute("dev", "hd")));
        return os;
    }

    private static XElement Cpu(DomainCpu cpu)
    {
        var e = new XElement("cpu");
        if (cpu.Mode is not null)
        {
            e.Add(new XAttribute("mode", cpu.Mode));
        }

        if (cpu.Match is not null)
        {
            e.Add(new XAttribute("match", cpu.Match));
        }

        if (cpu.Model is not null)
        {
            e.Add(new XElement("model", cpu.Model));
        }

        if (cpu.Sockets is int s && cpu.Cores is int c && cpu.Threads is int t)
        {
            var topology = new XElement("topology", new XAttribute("sockets", s));
            if (cpu.Dies is int d)
            {
                topology.Add(new XAttribute("dies", d));
            }

            topology.Add(new XAttribute("cores", c), new XAttribute("threads", t));
            e.Add(topology);
        }

        return e;
    }

    private static XElement Interface(DomainInterface nic)
    {
        var e = new XElement("interface", new XAttribute("type", nic.Type));
        if (nic.Mac is not null)
        {
            e.Add(new XElement("mac", new XAttribute("address", nic.Mac)));
        }

        var source = new XElement("source");
        if (nic.SourceNetwork is not null)
        {
            source.Add(new XAttribute("network", nic.SourceNetwork));
        }

        if (nic.SourceBridge is not null)
        {
            source.Add(new XAttribute("bridge", nic.SourceBridge));
        }

        if (nic.SourceDevice is not null)
        {
            source.Add(new XAttribute("dev", nic.SourceDevice));
        }

        if (nic.SourceMode is not null)
        {
            source.Add(new XAttribute("mode", nic.SourceMode));
        }

        if (nic.PortGroup is not null)
        {
            source.Add(new XAttribute("portgroup", nic.PortGroup));
        }

        if (source.HasAttributes)
        {
            e.Add(source);
        }

        if (nic.Model is not null)
        {
            e.Add(new XElement("model", new XAttribute("type", nic.Model)));
        }

        return e;
    }
}

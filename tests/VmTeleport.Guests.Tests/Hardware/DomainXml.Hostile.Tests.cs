using System.Text;
using VmTeleport.Guests.Hardware;

namespace VmTeleport.Guests.Tests.Hardware;

/// <summary>Input libvirt never writes: each must end in an InvalidDataException that says where, quickly.</summary>
public sealed class DomainXmlHostileTests
{
    private static InvalidDataException Refused(string xml)
    {
        var e = Assert.Throws<InvalidDataException>(() => DomainXml.Parse(xml, "hostile.xml"));
        Assert.StartsWith("hostile.xml: ", e.Message);
        return e;
    }

    [Fact]
    public void Billion_laughs_is_refused_before_expansion()
    {
        var xml = new StringBuilder("<?xml version='1.0'?>\n<!DOCTYPE domain [\n<!ENTITY a0 'ha'>\n");
        for (int i = 1; i <= 10; i++)
        {
            xml.Append($"<!ENTITY a{i} '{string.Concat(Enumerable.Repeat($"&a{i - 1};", 10))}'>\n");
        }

        xml.Append("]>\n<domain type='kvm'><name>&a10;</name></domain>");
        var e = Refused(xml.ToString());
        Assert.Contains("line 2", e.Message);
        Assert.Contains("DTD", e.Message);
    }

    [Fact]
    public void External_entity_is_refused()
    {
        string secret = Path.GetTempFileName();
        File.WriteAllText(secret, "leaked");
        try
        {
            var e = Refused($"<!DOCTYPE domain [<!ENTITY x SYSTEM 'file://{secret}'>]><domain><name>&x;</name></domain>");
            Assert.DoesNotContain("leaked", e.Message);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void Truncated_document_names_the_line()
    {
        string xml = DomainSamples.BiosI440fx[..(DomainSamples.BiosI440fx.IndexOf("<interface", StringComparison.Ordinal) + 12)];
        var e = Refused(xml);
        Assert.Contains("not well-formed XML", e.Message);
        Assert.Matches(@"line \d+, column \d+", e.Message);
    }

    [Theory]
    [InlineData("", "not well-formed")]
    [InlineData("   ", "not well-formed")]
    [InlineData("<domainsnapshot><name>x</name></domainsnapshot>", "the root element is <domainsnapshot>, not <domain>")]
    [InlineData("<network><name>default</name></network>", "the root element is <network>, not <domain>")]
    [InlineData("<x:domain xmlns:x='urn:other'><name>a</name></x:domain>", "<domain> is in namespace 'urn:other'; libvirt's domain XML has none")]
    [InlineData("<domain xmlns='urn:other'><name>a</name></domain>", "<domain> is in namespace 'urn:other'")]
    [InlineData("{\"name\": \"web1\"}", "not well-formed")]
    [InlineData("<domain type='kvm'><uuid>0b8a6c1e-2f44-4d0a-9a55-6f1d2c3b4a5e</uuid></domain>", "<domain>: has no <name>")]
    [InlineData("<domain><name>a</name><vcpu>0</vcpu></domain>", "<vcpu>: a domain needs at least one vCPU")]
    [InlineData("<domain><name>a</name><vcpu>-2</vcpu></domain>", "<vcpu>: value '-2' is not an integer")]
    [InlineData("<domain><name>a</name><vcpu current='x'>2</vcpu></domain>", "<vcpu>: attribute current 'x'")]
    [InlineData("<domain><name>a</name><uuid>not-a-uuid</uuid></domain>", "<uuid>: 'not-a-uuid' is not a UUID")]
    [InlineData("<domain><name>a</name><os firmware='coreboot'/></domain>", "firmware='coreboot'")]
    [InlineData("<domain><name>a</name><os><loader secure='maybe'>/x</loader></os></domain>", "secure='maybe' is neither yes nor no")]
    [InlineData("<domain><name>a</name><devices><interface><mac address='52:54:00:00:00:01'/></interface></devices></domain>", "<interface>: has no type attribute")]
    [InlineData("<domain><name>a</name><devices><disk><boot order='first'/></disk></devices></domain>", "<boot>: attribute order 'first'")]
    [InlineData("<domain><name>a</name><devices><video><model type='qxl' vram='99999999999999999'/></video></devices></domain>", "<model>: vram=")]
    public void Not_a_usable_domain(string xml, string expected) =>
        Assert.Contains(expected, Refused(xml).Message);

    [Fact]
    public void Minimal_domain_has_nulls_and_empty_lists()
    {
        var d = DomainXml.Parse("<domain><name>a</name></domain>", "min.xml");
        Assert.Equal("a", d.Name);
        Assert.Null(d.Uuid);
        Assert.Null(d.DomainType);
        Assert.Null(d.Vcpus);
        Assert.Null(d.MemoryBytes);
        Assert.Null(d.Cpu);
        Assert.Equal("bios", d.Firmware.Kind); // no arch, no os type: an x86 hvm default
        Assert.Empty(d.Disks);
        Assert.Empty(d.Interfaces);
    }

    [Fact]
    public void Unknown_elements_and_namespaces_are_ignored()
    {
        string xml = DomainSamples.BiosI440fx.With("<devices>",
            "<qemu:commandline xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><qemu:arg value='-s'/></qemu:commandline><future-thing a='1'><b/></future-thing><devices><hologram/>");
        var d = DomainXml.Parse(xml, "x.xml");
        Assert.Equal(2, d.Disks.Count);
    }

    [Fact]
    public void Larger_than_libvirt_allows_is_refused()
    {
        string padding = new(' ', XmlSource.MaxCharacters);
        var e = Refused($"<domain><name>a</name>{padding}</domain>");
        Assert.Contains("more than the 10485760", e.Message);
    }

    [Fact]
    public void Nesting_deeper_than_libxml2_allows_is_refused_quickly()
    {
        // LINQ to XML builds deep trees in quadratic time: 200000 levels took minutes before the cap.
        var xml = new StringBuilder("<domain><name>a</name>");
        xml.Insert(xml.Length, "<x>", 200_000).Insert(xml.Length, "</x>", 200_000).Append("</domain>");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var e = Refused(xml.ToString());
        Assert.Contains($"<x> is nested more than {XmlSource.MaxDepth} elements deep", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Nesting_at_the_cap_is_read()
    {
        var xml = new StringBuilder("<domain><name>a</name>");
        xml.Insert(xml.Length, "<x>", XmlSource.MaxDepth).Insert(xml.Length, "</x>", XmlSource.MaxDepth).Append("</domain>");
        Assert.Equal("a", DomainXml.Parse(xml.ToString(), "deep.xml").Name);
    }

    [Fact]
    public void Backing_chain_deeper_than_the_cap_is_refused()
    {
        int layers = DomainXml.MaxBackingChain + 1;
        var xml = new StringBuilder("<domain><name>a</name><devices><disk><source file='/top.qcow2'/>");
        for (int i = 0; i < layers; i++)
        {
            xml.Append($"<backingStore type='file'><format type='qcow2'/><source file='/l{i}.qcow2'/>");
        }

        xml.Insert(xml.Length, "</backingStore>", layers).Append("<target dev='vda'/></disk></devices></domain>");
        Assert.Contains($"deeper than {DomainXml.MaxBackingChain} layers", Refused(xml.ToString()).Message);
    }

    [Fact]
    public void Backing_chain_at_the_cap_is_read()
    {
        var xml = new StringBuilder("<domain><name>a</name><devices><disk><source file='/top.qcow2'/>");
        for (int i = 0; i < DomainXml.MaxBackingChain; i++)
        {
            xml.Append($"<backingStore type='file'><format type='qcow2'/><source file='/l{i}.qcow2'/>");
        }

        xml.Insert(xml.Length, "</backingStore>", DomainXml.MaxBackingChain).Append("</disk></devices></domain>");
        var chain = DomainXml.Parse(xml.ToString(), "x.xml").Disks[0].BackingChain!;
        Assert.Equal(DomainXml.MaxBackingChain, chain.Count);
        Assert.Equal($"/l{DomainXml.MaxBackingChain - 1}.qcow2", chain[^1].Source?.File);
    }
}

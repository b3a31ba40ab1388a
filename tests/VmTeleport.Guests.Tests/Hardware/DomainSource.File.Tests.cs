using VmTeleport.Guests.Hardware;

namespace VmTeleport.Guests.Tests.Hardware;

/// <summary>--domain-xml FILE, and the one entry point the CLI maps its options to.</summary>
public sealed class DomainSourceFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void File_is_read_without_snapshots()
    {
        string file = _dir.Write("web1.xml", DomainSamples.BiosI440fx);
        var d = DomainSource.Load(file, null);
        Assert.Equal(file, d.ReadFrom);
        Assert.Equal(4, d.Vcpus);
        Assert.Null(d.Snapshots);
        Assert.Empty(d.Warnings);
    }

    [Fact]
    public void Missing_file_is_an_io_error() =>
        Assert.Throws<FileNotFoundException>(() => DomainSource.LoadFile(Path.Combine(_dir.Path, "nope.xml")));

    [Fact]
    public void File_larger_than_libvirt_allows_is_refused_while_reading()
    {
        string file = Path.Combine(_dir.Path, "huge.xml");
        using (var f = File.Create(file))
        {
            f.SetLength(XmlSource.MaxCharacters + 1L); // NULs, but the cap trips before the parser sees them
        }

        var e = Assert.Throws<InvalidDataException>(() => DomainSource.LoadFile(file));
        Assert.StartsWith($"{file}: more than the 10485760 characters", e.Message);
    }

    [Fact]
    public void Snapshot_file_given_as_domain_is_refused()
    {
        string file = _dir.Write("snap.xml", DomainSamples.StoredSnapshot);
        var e = Assert.Throws<InvalidDataException>(() => DomainSource.LoadFile(file));
        Assert.Contains("the root element is <domainsnapshot>, not <domain>", e.Message);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Load_wants_exactly_one_of_file_and_name(bool file, bool name) =>
        Assert.Throws<ArgumentException>(() => DomainSource.Load(file ? "a.xml" : null, name ? "a" : null));

    [Fact]
    public void Json_names_are_snake_case()
    {
        string json = HardwareJson.Serialize(DomainXml.Parse(DomainSamples.UefiQ35, "x.xml"));
        foreach (var name in new[] { "\"memory_bytes\": 8589934592", "\"current_memory_bytes\"", "\"machine_type\": \"pc-q35-7.2\"",
                     "\"nvram_path\"", "\"secure_boot\": true", "\"backing_chain\": null", "\"target_dev\": \"vda\"",
                     "\"source_bridge\": \"br0\"", "\"vram_bytes\": 67108864", "\"snapshots\": null", "\"kind\": \"efi\"" })
        {
            Assert.Contains(name, json);
        }
    }
}

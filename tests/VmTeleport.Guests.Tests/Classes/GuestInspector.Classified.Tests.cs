using System.Text.Json;
using VmTeleport.Disks;
using VmTeleport.Guests.Classes;
using VmTeleport.TestSupport;

namespace VmTeleport.Guests.Tests.Classes;

/// <summary>The Classified hook sees every regular file with the class and package the manifest gives it.</summary>
public sealed class GuestInspectorClassifiedTests
{
    [Fact]
    public void Every_regular_file_is_reported_once_with_its_manifest_class_and_package()
    {
        var image = Fixtures.Path("guests", "ubuntu2204.qcow2");
        using var disk = DiskImage.Open(image);
        var source = new DescribedImage
        {
            Image = image,
            Format = GuestInspector.FormatOf(image),
            VirtualSize = disk.Length,
            AllocatedBytes = GuestInspector.AllocatedBytes(disk),
        };
        var manifest = new List<string>();
        var classified = new List<(string Path, ClassifiedEntry Class)>();
        GuestInspector.Inspect(disk, source, new InspectOptions { Threads = 2, Manifest = manifest.Add });
        var alone = GuestInspector.Inspect(disk, source, new InspectOptions { Threads = 2, Classified = (p, c) => classified.Add((p, c)) });

        var expected = manifest.Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("type").GetString() == "file")
            .Select(e => (e.GetProperty("path").GetString()!, e.GetProperty("class").GetString()!, e.GetProperty("package").GetString()))
            .ToList();
        Assert.Equal(expected, classified.Select(c => (c.Path, c.Class.Class.Name(), c.Class.Package)).ToList());
        Assert.Contains(classified, c => c.Path == "/usr/sbin/tinyweb" && c.Class == new ClassifiedEntry(FileClass.Package, "tinyweb"));
        Assert.Contains(classified, c => c.Path == "/etc/tinyweb.conf" && c.Class.Class == FileClass.PackageModified);
        Assert.Equal(3, alone.Packages.Count);
    }
}

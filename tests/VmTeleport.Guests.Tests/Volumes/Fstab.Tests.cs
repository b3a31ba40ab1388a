using VmTeleport.Guests.Volumes;

namespace VmTeleport.Guests.Tests.Volumes;

public sealed class FstabTests
{
    [Fact]
    public void Reads_entries_with_octal_escapes_and_optional_fields()
    {
        var problems = new List<string>();
        var entries = Fstab.Parse(
            "# <fs> <mp>\nUUID=5e1f / ext4 errors=remount-ro 0 1\nLABEL=my\\040data /srv/my\\040data ext4 defaults\n/swapfile none swap sw 0 0\n",
            problems);
        Assert.Empty(problems);
        Assert.Equal(3, entries.Count);
        Assert.Equal(("UUID=5e1f", "/", "ext4", 0, 1, 2), (entries[0].Spec, entries[0].MountPoint, entries[0].Type, entries[0].Dump, entries[0].Pass, entries[0].Line));
        Assert.Equal("LABEL=my data", entries[1].Spec);
        Assert.Equal("/srv/my data", entries[1].MountPoint);
        Assert.Equal("swap", entries[2].Type);
    }

    [Fact]
    public void Bad_lines_are_reported_and_skipped()
    {
        var problems = new List<string>();
        var entries = Fstab.Parse("only-two fields\n/dev/vda1 / ext4 defaults x y\n/dev/vda2 /var ext4 defaults 0 2\n", problems);
        Assert.Single(entries);
        Assert.Equal(["/etc/fstab:1: not an fstab line (spec mountpoint type options [dump [pass]]), skipped",
            "/etc/fstab:2: not an fstab line (spec mountpoint type options [dump [pass]]), skipped"], problems);
    }
}

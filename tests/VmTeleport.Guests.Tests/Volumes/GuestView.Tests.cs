using VmTeleport.FileSystems;
using VmTeleport.Guests.Tests.Support;
using VmTeleport.Guests.Volumes;

namespace VmTeleport.Guests.Tests.Volumes;

public sealed class GuestViewTests
{
    private static (GuestView View, MemoryFileSystem Boot) Build()
    {
        var root = new MemoryFileSystem("root").File("/etc/fstab", "x").Dir("/boot").Dir("/var").File("/zz", "z");
        var boot = new MemoryFileSystem("boot").File("/vmlinuz-6.1", "kernel").File("/grub/grub.cfg", "cfg");
        var varFs = new MemoryFileSystem("var").File("/lib/dpkg/status", "s").Dir("/cache");
        var cache = new MemoryFileSystem("cache").File("/apt/pkgcache.bin", "c");
        return (new GuestView(root, [("/boot", boot), ("/var", varFs), ("/var/cache", cache)]), boot);
    }

    [Fact]
    public void Walk_shows_mounted_filesystems_at_their_mount_points_in_order()
    {
        var (view, _) = Build();
        Assert.Equal(
            ["/", "/boot", "/boot/grub", "/boot/grub/grub.cfg", "/boot/vmlinuz-6.1", "/etc", "/etc/fstab", "/var", "/var/cache", "/var/cache/apt",
             "/var/cache/apt/pkgcache.bin", "/var/lib", "/var/lib/dpkg", "/var/lib/dpkg/status", "/zz"],
            view.Walk().Select(e => e.Path));
    }

    [Fact]
    public void Lookups_and_reads_go_to_the_filesystem_that_holds_the_path()
    {
        var (view, boot) = Build();
        var cfg = view.GetEntry("/boot/grub/grub.cfg");
        Assert.Equal("/boot/grub/grub.cfg", cfg.Path);
        Assert.Equal(boot.GetEntry("/grub/grub.cfg").Inode, cfg.Inode);
        using (var r = new StreamReader(view.OpenRead(cfg)))
        {
            Assert.Equal("cfg", r.ReadToEnd());
        }

        Assert.Equal(boot.Root.Inode, view.GetEntry("/boot").Inode); // the mount point shows the mounted root
        Assert.Equal("/var/cache", view.MountPointOf("/var/cache/apt"));
        Assert.Equal("/var", view.MountPointOf("/var/lib"));
        Assert.Equal("/", view.MountPointOf("/varx"));
        Assert.Equal(["/boot", "/var", "/var/cache"], view.MountPoints);
        Assert.Equal("/boot/grub/grub.cfg", SymlinkResolver.Resolve(view, "/boot/grub/grub.cfg").Path);
        Assert.Throws<FileNotFoundException>(() => view.GetEntry("/boot/nothing"));
    }

    [Fact]
    public void Two_filesystems_at_one_mount_point_are_refused()
    {
        var a = new MemoryFileSystem();
        Assert.Throws<ArgumentException>(() => new GuestView(a, [("/boot", new MemoryFileSystem()), ("/boot/", new MemoryFileSystem())]));
    }
}

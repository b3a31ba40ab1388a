using VmTeleport.Guests.Os;
using VmTeleport.Guests.Tests.Support;

namespace VmTeleport.Guests.Tests.Os;

public sealed class OsProbeTests
{
    private static byte[] Elf(ushort machine, bool is64 = true)
    {
        var b = new byte[64];
        "\u007FELF"u8.CopyTo(b);
        b[4] = (byte)(is64 ? 2 : 1);
        b[5] = 1;
        b[18] = (byte)machine;
        b[19] = (byte)(machine >> 8);
        return b;
    }

    [Fact]
    public void Debian_takes_its_point_release_from_debian_version()
    {
        var fs = new MemoryFileSystem()
            .File("/usr/lib/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\n")
            .Symlink("/etc/os-release", "../usr/lib/os-release")
            .File("/etc/debian_version", "12.15\n")
            .File("/etc/hostname", "# comment\nweb01\n")
            .File("/var/lib/dpkg/status", string.Empty)
            .File("/usr/bin/apt-get", Elf(62))
            .File("/usr/bin/dash", Elf(62))
            .Symlink("/usr/bin/sh", "dash")
            .Symlink("/bin", "usr/bin")
            .File("/lib/systemd/systemd", "x")
            .File("/boot/vmlinuz-6.1.0-56-amd64", "k")
            .File("/boot/initrd.img-6.1.0-56-amd64", "i")
            .File("/boot/vmlinuz-6.1.0-50-amd64", "k2")
            .Dir("/usr/lib/modules/6.1.0-56-amd64");
        var problems = new List<string>();
        var os = OsProbe.Detect(fs, problems);
        Assert.Empty(problems);
        Assert.Equal("linux", os.Type);
        Assert.Equal(("debian", "12.15", 12, 15, "bookworm"), (os.Distro, os.Version, os.MajorVersion, os.MinorVersion, os.Codename));
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", os.ProductName);
        Assert.Equal(("x86_64", "web01", "deb", "apt", "systemd"), (os.Architecture, os.Hostname, os.PackageFormat, os.PackageManager, os.InitSystem));
        Assert.Equal(2, os.Kernels.Count);
        var k = os.Kernels.Single(k => k.Version == "6.1.0-56-amd64");
        Assert.Equal(("/boot/vmlinuz-6.1.0-56-amd64", "/boot/initrd.img-6.1.0-56-amd64", true), (k.Path, k.Initrd, k.Modules));
        var old = os.Kernels.Single(k => k.Version == "6.1.0-50-amd64");
        Assert.Equal((null, false), (old.Initrd, old.Modules));
    }

    [Fact]
    public void Rocky_is_an_rpm_guest_with_dnf()
    {
        var fs = new MemoryFileSystem()
            .File("/etc/os-release", "NAME=\"Rocky Linux\"\nVERSION=\"9.3 (Blue Onyx)\"\nID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"9.3\"\nPRETTY_NAME=\"Rocky Linux 9.3 (Blue Onyx)\"\n")
            .File("/etc/hostname", "rocky9\n")
            .Dir("/var/lib/rpm")
            .File("/usr/bin/dnf", "x")
            .File("/usr/bin/bash", Elf(183))
            .Symlink("/bin", "usr/bin")
            .Symlink("/usr/bin/sh", "bash")
            .File("/usr/lib/systemd/systemd", "x");
        var os = OsProbe.Detect(fs, new List<string>());
        Assert.Equal(("rocky", "9.3", 9, 3, "blue onyx"), (os.Distro, os.Version, os.MajorVersion, os.MinorVersion, os.Codename));
        Assert.Equal(["rhel", "centos", "fedora"], os.DistroLike);
        Assert.Equal(("aarch64", "rpm", "dnf", "systemd", "rocky9"), (os.Architecture, os.PackageFormat, os.PackageManager, os.InitSystem, os.Hostname));
    }

    [Fact]
    public void A_debian_with_garbage_os_release_is_known_by_its_debian_version()
    {
        var problems = new List<string>();
        var fs = new MemoryFileSystem()
            .File("/etc/os-release", "\u0001\u0002 not key=value\n=\n")
            .File("/etc/debian_version", "12.4\n")
            .File("/etc/hostname", "broken\n")
            .Dir("/bin");
        var os = OsProbe.Detect(fs, problems);
        Assert.Equal(("linux", "debian", "12.4", 12, 4), (os.Type, os.Distro, os.Version, os.MajorVersion, os.MinorVersion));
        Assert.Contains(problems, p => p.Contains("os-release", StringComparison.Ordinal));
    }

    [Fact]
    public void A_filesystem_without_an_os_says_so()
    {
        var problems = new List<string>();
        var os = OsProbe.Detect(new MemoryFileSystem().File("/data/a.bin", "x"), problems);
        Assert.Equal("unknown", os.Type);
        Assert.Null(os.Distro);
        Assert.Equal(["no operating system found: the guest has no /etc with os-release, fstab or /bin"], problems);
    }

    [Fact]
    public void Garbage_os_release_leaves_the_distro_unknown_and_says_why()
    {
        var fs = new MemoryFileSystem().File("/etc/os-release", "\u0000\u0001\u0002").File("/etc/fstab", "");
        var problems = new List<string>();
        var os = OsProbe.Detect(fs, problems);
        Assert.Equal("linux", os.Type);
        Assert.Null(os.Distro);
        Assert.Contains(problems, p => p.StartsWith("/etc/os-release:1: not a KEY=value line", StringComparison.Ordinal));
        Assert.Contains("no readable os-release (/etc/os-release, /usr/lib/os-release): distro and version unknown", problems);
    }

    [Theory]
    [InlineData(62, true, "x86_64")]
    [InlineData(3, false, "i386")]
    [InlineData(183, true, "aarch64")]
    [InlineData(243, true, "riscv64")]
    public void Elf_machines(ushort machine, bool is64, string name) => Assert.Equal(name, ElfMachine.Name(Elf(machine, is64)));

    [Fact]
    public void Not_elf() => Assert.Null(ElfMachine.Name(new byte[64]));
}

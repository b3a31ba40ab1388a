using System.Security.Cryptography;
using System.Text;

namespace VmTeleport.Guests.Tests.Support;

/// <summary>
/// A tiny Debian-like guest in memory with every case the classifier distinguishes: a merged
/// /usr (packages list /bin/ls, the file is at /usr/bin/ls), a diversion, a Multi-Arch: same
/// package, an edited conffile, a changed file, a package without md5sums, a removed package's
/// leftover conffile, a deleted file, user data and temporary files.
/// </summary>
public static class SampleGuest
{
    public static string Md5(string s) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(s)));

    public static MemoryFileSystem Build()
    {
        var status = $"""
            Package: coreutils
            Status: install ok installed
            Priority: required
            Essential: yes
            Installed-Size: 18062
            Architecture: amd64
            Multi-Arch: foreign
            Version: 9.1-1
            Description: GNU core utilities

            Package: bash
            Status: install ok installed
            Architecture: amd64
            Version: 5.2.15-2+b2
            Source: bash (5.2.15-2)

            Package: dash
            Status: install ok installed
            Architecture: amd64
            Version: 0.5.12-2

            Package: libc6
            Status: install ok installed
            Architecture: amd64
            Multi-Arch: same
            Version: 2.36-9+deb12u10
            Source: glibc

            Package: ssh-client
            Status: install ok installed
            Architecture: amd64
            Version: 1:9.2p1-2
            Conffiles:
             /etc/ssh/ssh_config {Md5("Host *\n")}
             /etc/ssh/gone.conf {Md5("x")} obsolete

            Package: nomd5
            Status: install ok installed
            Architecture: all
            Version: 1.0

            Package: oldpkg
            Status: deinstall ok config-files
            Architecture: all
            Version: 0.9
            Conffiles:
             /etc/old.conf {Md5("old\n")}

            Package: purged
            Status: purge ok not-installed
            Architecture: all

            """;
        return new MemoryFileSystem("root")
            .File("/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n")
            .File("/etc/hostname", "sample\n")
            .File("/etc/ssh/ssh_config", "Host *\n# edited by the admin\n")
            .File("/etc/old.conf", "old\n")
            .Dir("/usr/bin")
            .Symlink("/bin", "usr/bin")
            .File("/usr/bin/ls", "ls-binary", 0x1ED)
            .File("/usr/bin/sh.distrib", "bash-sh", 0x1ED)
            .Symlink("/usr/bin/sh", "dash")
            .File("/usr/bin/dash", "dash-binary", 0x1ED)
            .File("/usr/lib/x86_64-linux-gnu/libc.so.6", "libc")
            .File("/usr/share/doc/coreutils/copyright", "changed text")
            .File("/usr/share/nomd5/file", "unverifiable")
            .File("/home/alice/notes.txt", "user data", uid: 1000)
            .File("/tmp/scratch", "temporary")
            .File("/var/lib/apt/lists/deb.debian.org_Packages", "index")
            .File("/var/lib/dpkg/status", status)
            .File("/var/lib/dpkg/diversions", "/bin/sh\n/bin/sh.distrib\ndash\n")
            .File("/var/lib/dpkg/info/coreutils.list", "/.\n/bin\n/bin/ls\n/bin/rm\n/usr\n/usr/share/doc/coreutils/copyright\n")
            .File("/var/lib/dpkg/info/coreutils.md5sums",
                $"{Md5("ls-binary")}  bin/ls\n{Md5("rm-binary")}  bin/rm\n{Md5("original text")}  usr/share/doc/coreutils/copyright\n")
            .File("/var/lib/dpkg/info/bash.list", "/bin\n/bin/sh\n")
            .File("/var/lib/dpkg/info/bash.md5sums", $"{Md5("bash-sh")}  bin/sh\n")
            .File("/var/lib/dpkg/info/dash.list", "/bin/dash\n/bin/sh\n")
            .File("/var/lib/dpkg/info/dash.md5sums", $"{Md5("dash-binary")}  bin/dash\n")
            .File("/var/lib/dpkg/info/libc6:amd64.list", "/usr/lib/x86_64-linux-gnu/libc.so.6\n")
            .File("/var/lib/dpkg/info/libc6:amd64.md5sums", $"{Md5("libc")}  usr/lib/x86_64-linux-gnu/libc.so.6\n")
            .File("/var/lib/dpkg/info/ssh-client.list", "/etc/ssh\n/etc/ssh/ssh_config\n")
            .File("/var/lib/dpkg/info/ssh-client.md5sums", string.Empty)
            .File("/var/lib/dpkg/info/nomd5.list", "/usr/share/nomd5\n/usr/share/nomd5/file\n")
            .File("/var/lib/dpkg/info/oldpkg.list", "/etc/old.conf\n");
    }
}

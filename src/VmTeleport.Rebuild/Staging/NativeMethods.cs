using System.Runtime.InteropServices;

namespace VmTeleport.Rebuild.Staging;

/// <summary>
/// The *at(2) calls that let staging create entries relative to an open directory without ever
/// following a symlink. Paths are NUL-terminated byte arrays (guest names need not be UTF-8).
/// </summary>
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code, which this project keeps off.
#pragma warning disable CA5392
#pragma warning disable CA2101
internal static class NativeMethods
{
    public const int ORdonly = 0;
    public const int OWronly = 1;
    public const int OCreat = 0x40;
    public const int OExcl = 0x80;
    public const int ODirectory = 0x10000;
    public const int ONofollow = 0x20000;
    public const int OCloexec = 0x80000;
    public const int AtSymlinkNofollow = 0x100;
    public const int AtFdcwd = -100;

    [DllImport("libc", EntryPoint = "openat", SetLastError = true)]
    public static extern int OpenAt(int dirfd, byte[] path, int flags, int mode);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    public static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "mkdirat", SetLastError = true)]
    public static extern int MkdirAt(int dirfd, byte[] path, int mode);

    [DllImport("libc", EntryPoint = "symlinkat", SetLastError = true)]
    public static extern int SymlinkAt(byte[] target, int dirfd, byte[] path);

    [DllImport("libc", EntryPoint = "mknodat", SetLastError = true)]
    public static extern int MknodAt(int dirfd, byte[] path, int mode, ulong dev);

    [DllImport("libc", EntryPoint = "linkat", SetLastError = true)]
    public static extern int LinkAt(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags);

    [DllImport("libc", EntryPoint = "fchownat", SetLastError = true)]
    public static extern int FchownAt(int dirfd, byte[] path, uint owner, uint group, int flags);

    [DllImport("libc", EntryPoint = "fchmodat", SetLastError = true)]
    public static extern int FchmodAt(int dirfd, byte[] path, int mode, int flags);

    [DllImport("libc", EntryPoint = "utimensat", SetLastError = true)]
    public static extern int UtimensAt(int dirfd, byte[] path, long[] times, int flags);

    [DllImport("libc", EntryPoint = "lsetxattr", SetLastError = true)]
    public static extern int LSetXattr(byte[] path, byte[] name, byte[] value, nuint size, int flags);

    [DllImport("libc", EntryPoint = "fchown", SetLastError = true)]
    public static extern int FChown(int fd, uint owner, uint group);

    [DllImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    public static extern int FChmod(int fd, int mode);

    [DllImport("libc", EntryPoint = "futimens", SetLastError = true)]
    public static extern int FUtimens(int fd, long[] times);

    [DllImport("libc", EntryPoint = "fsetxattr", SetLastError = true)]
    public static extern int FSetXattr(int fd, byte[] name, byte[] value, nuint size, int flags);

    [DllImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    public static extern int FTruncate(int fd, long length);

    [DllImport("libc", EntryPoint = "llistxattr", SetLastError = true)]
    public static extern nint LListXattr(byte[] path, byte[]? list, nuint size);

    [DllImport("libc", EntryPoint = "lremovexattr", SetLastError = true)]
    public static extern int LRemoveXattr(byte[] path, byte[] name);

    /// <summary>makedev(3) of glibc.</summary>
    public static ulong MakeDev(uint major, uint minor) =>
        ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);

    public static string Error() => Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
}
#pragma warning restore CA2101
#pragma warning restore CA5392
#pragma warning restore SYSLIB1054

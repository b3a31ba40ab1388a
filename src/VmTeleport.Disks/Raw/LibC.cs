using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace VmTeleport.Disks.Raw;

/// <summary>The two libc calls that reveal a sparse file's holes without reading it.</summary>
internal static class LibC
{
    /// <summary>lseek(2) whence values from Linux's unistd.h (also used by FreeBSD/illumos).</summary>
    public const int SeekData = 3;
    public const int SeekHole = 4;

    /// <summary>ENXIO: SEEK_DATA found no data at or after the offset.</summary>
    public const int ENXIO = 6;

    [DllImport("libc", EntryPoint = "lseek", SetLastError = true)]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code, which this project keeps off.
#pragma warning disable CA5392
    private static extern long LSeek(SafeFileHandle fd, long offset, int whence);
#pragma warning restore CA5392
#pragma warning restore SYSLIB1054

    /// <summary>
    /// lseek with SEEK_DATA or SEEK_HOLE. Returns the offset, -1 when the answer is "no more data"
    /// (ENXIO), or null when the call is not supported here (another OS or filesystem).
    /// </summary>
    public static long? Seek(SafeFileHandle fd, long offset, int whence)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsFreeBSD())
        {
            return null;
        }

        try
        {
            long r = LSeek(fd, offset, whence);
            if (r >= 0)
            {
                return r;
            }

            return Marshal.GetLastPInvokeError() == ENXIO ? -1 : null;
        }
        catch (DllNotFoundException)
        {
            return null;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }
}

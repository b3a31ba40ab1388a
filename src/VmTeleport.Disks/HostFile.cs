using Microsoft.Win32.SafeHandles;

namespace VmTeleport.Disks;

/// <summary>Positional reads of an image file that tolerate a short file the way qemu does.</summary>
internal static class HostFile
{
    /// <summary>
    /// Fills <paramref name="buffer"/> from <paramref name="offset"/>; bytes past the end of the
    /// file read as zeros (qemu's file driver does the same for a cluster cut short by truncation).
    /// </summary>
    public static void ReadFully(SafeFileHandle handle, long offset, Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            int n = RandomAccess.Read(handle, buffer, offset);
            if (n <= 0)
            {
                buffer.Clear();
                return;
            }

            buffer = buffer[n..];
            offset += n;
        }
    }
}

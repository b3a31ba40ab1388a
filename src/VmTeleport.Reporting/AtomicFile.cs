using System.Globalization;

namespace VmTeleport.Reporting;

/// <summary>
/// Writes a file whole or not at all: the bytes go to a temporary file beside it, which is then
/// renamed over the target, so a reader (or a report opened in a browser) never sees half a file.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        var temporary = string.Create(CultureInfo.InvariantCulture, $"{path}.tmp-{Environment.ProcessId}");
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    public static void Write(string path, string text) => Write(path, new System.Text.UTF8Encoding(false).GetBytes(text));
}

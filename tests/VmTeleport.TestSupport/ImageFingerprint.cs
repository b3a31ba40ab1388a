using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace VmTeleport.TestSupport;

/// <summary>
/// What must not change when VM Teleport reads an image: its bytes, its size and its modification
/// time. Sparse files are read only in their data ranges (SEEK_DATA/SEEK_HOLE) and each non-zero
/// 4 KiB block is hashed with its offset, so a 100 GiB sparse image is fingerprinted in
/// milliseconds, a write of data into a hole still changes the fingerprint, and the page cache's
/// view of preallocated extents does not. Taken before and compared after, it proves the source stayed sacred.
/// </summary>
public sealed record ImageFingerprint(string Path, long Size, DateTime LastWriteUtc, string Sha256)
{
    private const int SeekData = 3;
    private const int SeekHole = 4;
    private const int Block = 4096;

    public static ImageFingerprint Of(string path)
    {
        var info = new FileInfo(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        // The hash covers the logical content, not the extent map: ext4 reports an unwritten
        // (preallocated) extent as data or as a hole depending on what the page cache holds, so
        // the map of an unchanged file varies from run to run. Each non-zero 4 KiB block within
        // the data ranges is hashed with its offset; zero blocks and holes read the same.
        Span<byte> offsetBytes = stackalloc byte[8];
        foreach (var (start, end) in DataRanges(stream))
        {
            for (long at = start; at < end;)
            {
                int n = RandomAccess.Read(stream.SafeFileHandle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, end - at)), at);
                if (n == 0)
                {
                    break;
                }

                for (int i = 0; i < n; i += Block)
                {
                    var block = buffer.AsSpan(i, Math.Min(Block, n - i));
                    if (block.ContainsAnyExcept((byte)0))
                    {
                        BitConverter.TryWriteBytes(offsetBytes, at + i);
                        sha.AppendData(offsetBytes);
                        sha.AppendData(block);
                    }
                }

                at += n;
            }
        }

        return new ImageFingerprint(path, info.Length, info.LastWriteTimeUtc, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    /// <summary>Fingerprints of every image file under a folder, optionally only those with the given extensions.</summary>
    public static IReadOnlyList<ImageFingerprint> AllUnder(string directory, params string[] extensions) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => extensions.Length == 0 || extensions.Contains(System.IO.Path.GetExtension(f)))
            .Order(StringComparer.Ordinal)
            .Select(Of)
            .ToList();

    private static List<(long Start, long End)> DataRanges(FileStream stream)
    {
        long length = stream.Length;
        int fd = (int)stream.SafeFileHandle.DangerousGetHandle();
        var ranges = new List<(long, long)>();
        for (long at = 0; at < length;)
        {
            long data = LSeek(fd, at, SeekData);
            if (data < 0)
            {
                // ENXIO: no data after this point. Any other failure: treat the rest as data.
                if (Marshal.GetLastPInvokeError() != 6)
                {
                    ranges.Add((at, length));
                }

                break;
            }

            long hole = LSeek(fd, data, SeekHole);
            hole = hole < 0 ? length : hole;
            ranges.Add((data, hole));
            at = hole;
        }

        return ranges;
    }

    [DllImport("libc", EntryPoint = "lseek", SetLastError = true)]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code, which this project does not allow.
    private static extern long LSeek(int fd, long offset, int whence);
#pragma warning restore SYSLIB1054
}

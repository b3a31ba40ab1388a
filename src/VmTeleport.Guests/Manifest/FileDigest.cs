using System.Buffers;
using System.Security.Cryptography;
using VmTeleport.FileSystems;

namespace VmTeleport.Guests.Manifest;

/// <summary>
/// The digests of one file's content, computed in a single read: md5 to compare with what dpkg
/// recorded, SHA-256 for the manifest. Either may be skipped.
/// </summary>
public sealed record FileDigest(string? Md5, string? Sha256)
{
    public static FileDigest Compute(IFileSystem fs, FileSystemEntry file, bool md5, bool sha256)
    {
        ArgumentNullException.ThrowIfNull(fs);
        if (!md5 && !sha256)
        {
            return new FileDigest(null, null);
        }

        using var stream = fs.OpenRead(file);
        using var m = md5 ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null;
        using var s = sha256 ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                m?.AppendData(buffer, 0, n);
                s?.AppendData(buffer, 0, n);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new FileDigest(
            m is null ? null : Convert.ToHexStringLower(m.GetHashAndReset()),
            s is null ? null : Convert.ToHexStringLower(s.GetHashAndReset()));
    }
}

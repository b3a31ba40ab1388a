using System.Security.Cryptography;
using VmTeleport.Content.Chunking;

namespace VmTeleport.Content.Images;

/// <summary>
/// A file's content read once: its size, SHA-256, optionally MD5 (what dpkg's md5sums hold), and
/// its FastCDC chunks, each cut on the file alone with <see cref="ChunkerOptions.Default"/> and
/// named by <see cref="ChunkHasher.Default"/>.
/// </summary>
public sealed record FileContent(long Size, byte[] Sha256, byte[]? Md5, IReadOnlyList<ChunkSpan> Chunks)
{
    private static readonly FastCdc Cdc = new(ChunkerOptions.Default);

    /// <summary>Reads <paramref name="content"/> to its end (it is not disposed).</summary>
    public static FileContent Read(Stream content, bool md5)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md = md5 ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null;
        var chunks = new List<ChunkSpan>();
        var reader = new ChunkReader(content, Cdc, ChunkHasher.Default);
        long size = 0;
        while (reader.TryReadNext(out var chunk, out var data))
        {
            sha.AppendData(data);
            md?.AppendData(data);
            chunks.Add(new ChunkSpan(chunk.Id, chunk.Length));
            size += chunk.Length;
        }

        return new FileContent(size, sha.GetHashAndReset(), md?.GetHashAndReset(), chunks);
    }

    /// <summary>The SHA-256 and MD5 of nothing, with no chunks: what an empty file reads as.</summary>
    public static FileContent Empty { get; } = Read(Stream.Null, md5: true);
}

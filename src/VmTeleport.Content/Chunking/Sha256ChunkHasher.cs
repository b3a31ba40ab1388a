using System.Security.Cryptography;

namespace VmTeleport.Content.Chunking;

/// <summary>SHA-256 through the platform's crypto library (OpenSSL here, which uses SHA-NI).</summary>
public sealed class Sha256ChunkHasher : ChunkHasher
{
    public override string Name => "sha256";

    protected override ChunkId HashCore(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[ChunkId.Size];
        SHA256.HashData(data, digest);
        return new ChunkId(digest);
    }
}

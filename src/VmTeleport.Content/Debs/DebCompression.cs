using System.IO.Compression;
using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.Xz;
using ZstdSharp;

namespace VmTeleport.Content.Debs;

/// <summary>The compressions dpkg-deb writes or has written for control.tar and data.tar (deb(5)).</summary>
internal static class DebCompression
{
    /// <summary>Opens member <paramref name="name"/> ("control.tar.xz", "data.tar"...) as its
    /// decompressed tar stream; the suffix after ".tar" picks the decoder, as in dpkg.</summary>
    public static Stream Open(Stream member, string name, string archive)
    {
        var dot = name.IndexOf(".tar", StringComparison.Ordinal);
        var suffix = dot < 0 ? null : name[(dot + 4)..];
        return suffix switch
        {
            "" => member,
            ".gz" => new GZipStream(member, CompressionMode.Decompress),
            ".xz" => new XZStream(member),
            ".zst" => new DecompressionStream(member),
            ".bz2" => BZip2Stream.Create(member, SharpCompress.Compressors.CompressionMode.Decompress, decompressConcatenated: true),
            ".lzma" => throw new NotSupportedException($"{archive}: member \"{name}\" uses lzma compression, which is not supported"),
            _ => throw new InvalidDataException(
                $"{archive}: member \"{name}\" is not a tar with a known compression (.tar, .tar.gz, .tar.xz, .tar.zst, .tar.bz2)"),
        };
    }
}

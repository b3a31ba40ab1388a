using System.Security.Cryptography;
using VmTeleport.TestSupport;

namespace VmTeleport.Disks.Tests;

/// <summary>The images tools/fixtures/disks.sh builds, and the oracle helpers the tests share.</summary>
internal static class DiskFixtures
{
    /// <summary>Every qcow2 the builder makes; a test checks the list against the directory so none is missed.</summary>
    public static readonly string[] Qcow2Images =
    [
        "v2.qcow2", "v3.qcow2", "v2-c4096.qcow2", "v3-c512.qcow2", "v3-c4096.qcow2", "v3-c65536.qcow2", "v3-c2097152.qcow2",
        "zlib.qcow2", "zlib-v2.qcow2", "zstd.qcow2", "zstd-c4096.qcow2",
        "l2ext-c65536.qcow2", "l2ext-c131072.qcow2", "l2ext-overlay.qcow2",
        "zero.qcow2", "zero-empty.qcow2",
        "chain/mid.qcow2", "chain/top.qcow2", "chain/top-v2.qcow2",
        "short-overlay.qcow2", "snap.qcow2", "snap-v2.qcow2", "mbr.qcow2", "gpt.qcow2",
    ];

    /// <summary>Internal snapshots, by name and by id.</summary>
    public static readonly (string Image, string Snapshot, string QemuOption)[] Snapshots =
    [
        ("snap.qcow2", "first", "snapshot.name=first"),
        ("snap.qcow2", "second", "snapshot.name=second"),
        ("snap.qcow2", "1", "snapshot.id=1"),
        ("snap.qcow2", "2", "snapshot.id=2"),
        ("snap-v2.qcow2", "old", "snapshot.name=old"),
    ];

    public static string Dir => Fixtures.Disks;

    public static string Path(string name) => System.IO.Path.Combine(Dir, name);

    public static IEnumerable<object[]> Qcow2Data() => Qcow2Images.Select(n => new object[] { n });

    public static IEnumerable<object[]> SnapshotData() => Snapshots.Select(s => new object[] { s.Image, s.Snapshot, s.QemuOption });

    /// <summary>SHA-256 of everything a block source reads, in 1 MiB steps.</summary>
    public static string Sha256(IBlockSource source)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        for (long pos = 0; pos < source.Length; pos += buffer.Length)
        {
            var span = buffer.AsSpan(0, (int)Math.Min(buffer.Length, source.Length - pos));
            source.ReadAt(pos, span);
            hash.AppendData(span);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// SHA-256 of `qemu-img convert -O raw` of an image (optionally one snapshot), via a temporary file.
    /// With <paramref name="prefix"/>, only that many bytes are hashed and the rest must be zeros:
    /// qemu-img convert -l keeps the current virtual size for a snapshot, while the reader uses the
    /// size the snapshot recorded (what the guest saw then).
    /// </summary>
    public static (string Sha256, long Length) QemuRawSha256(string image, string? snapshotOption = null, long? prefix = null)
    {
        string tmp = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"vmt-oracle-{Guid.NewGuid():N}.raw");
        try
        {
            var args = new List<string> { "convert", "-O", "raw" };
            if (snapshotOption is not null)
            {
                args.AddRange(["-l", snapshotOption]);
            }

            args.AddRange([image, tmp]);
            ExternalCommand.Check("qemu-img", [.. args]);
            using var f = File.OpenRead(tmp);
            if (prefix is null)
            {
                return (Convert.ToHexStringLower(SHA256.HashData(f)), f.Length);
            }

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 20];
            long pos = 0;
            int n;
            while ((n = f.Read(buffer)) > 0)
            {
                int head = (int)Math.Clamp(prefix.Value - pos, 0, n);
                hash.AppendData(buffer, 0, head);
                if (buffer.AsSpan(head, n - head).IndexOfAnyExcept((byte)0) >= 0)
                {
                    throw new InvalidOperationException($"{image}: qemu shows data past 0x{prefix:x}");
                }

                pos += n;
            }

            return (Convert.ToHexStringLower(hash.GetHashAndReset()), Math.Min(f.Length, prefix.Value));
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    /// <summary>A scratch directory for tests that patch copies of fixtures.</summary>
    public static string Scratch() => Directory.CreateTempSubdirectory("vmt-disks-").FullName;
}

using VmTeleport.Disks.Qcow2;
using VmTeleport.Disks.Raw;

namespace VmTeleport.Disks;

/// <summary>Opens virtual disk images by their user-facing spec, detecting the format.</summary>
public static class DiskImage
{
    /// <summary>Backing chains deeper than this are refused (qemu's own limit is far lower in practice).</summary>
    public const int MaxChainDepth = 64;

    /// <summary>
    /// Opens "PATH" or "PATH@SNAPSHOT" (a qcow2 internal snapshot by id or name) read-only.
    /// Raw and qcow2 (with backing chains) are detected by content, not by extension.
    /// A PATH that exists as given is used whole, even if it contains '@'; otherwise the spec is
    /// split at its last '@'. Throws <see cref="FileNotFoundException"/> for a missing image or
    /// backing file, <see cref="KeyNotFoundException"/> for an unknown snapshot,
    /// <see cref="InvalidDataException"/> for corrupt metadata and <see cref="NotSupportedException"/>
    /// for features this reader does not implement (encryption, external data files).
    /// </summary>
    public static IBlockSource Open(string spec)
    {
        ArgumentException.ThrowIfNullOrEmpty(spec);
        var (path, snapshot) = SplitSpec(spec);
        return OpenChained(path, path, snapshot, format: null, [], referencedBy: null);
    }

    /// <summary>The internal snapshots of a qcow2 image (empty for raw images).</summary>
    public static IReadOnlyList<DiskSnapshot> ListSnapshots(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such disk image", path);
        }

        if (!IsQcow2(path))
        {
            return [];
        }

        return Qcow2Image.ReadSnapshots(path, path)
            .Select(s => new DiskSnapshot(s.Id, s.Name, s.VirtualSize, s.Date))
            .ToList();
    }

    /// <summary>
    /// The backing file a qcow2 names in its header (as stored, unresolved), or null for a
    /// standalone qcow2 and for raw images: whether the file alone holds the whole disk.
    /// </summary>
    public static string? BackingFileOf(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such disk image", path);
        }

        return IsQcow2(path) ? Qcow2Image.ReadBackingName(path, path) : null;
    }

    /// <summary>Splits "PATH@SNAPSHOT"; a path that exists as given wins.</summary>
    public static (string Path, string? Snapshot) SplitSpec(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (File.Exists(spec))
        {
            return (spec, null);
        }

        int at = spec.LastIndexOf('@');
        if (at <= 0 || at == spec.Length - 1)
        {
            return (spec, null);
        }

        return (spec[..at], spec[(at + 1)..]);
    }

    private static IBlockSource OpenChained(string path, string description, string? snapshot, string? format, List<string> chain, string? referencedBy)
    {
        if (!File.Exists(path))
        {
            throw referencedBy is null
                ? new FileNotFoundException($"{path}: no such disk image", path)
                : new FileNotFoundException($"{referencedBy}: backing file {path} does not exist", path);
        }

        string canonical = Canonical(path);
        if (chain.Contains(canonical))
        {
            throw new InvalidDataException(
                $"{referencedBy}: cyclic backing chain ({string.Join(" -> ", chain)} -> {canonical})");
        }

        if (chain.Count >= MaxChainDepth)
        {
            throw new InvalidDataException($"{referencedBy}: backing chain is deeper than {MaxChainDepth} images");
        }

        chain.Add(canonical);
        bool qcow2 = format switch
        {
            null => IsQcow2(path),
            "qcow2" => true,
            "raw" => false,
            _ => throw new NotSupportedException($"{referencedBy}: backing file {path} has format '{format}', which is not supported (raw, qcow2)"),
        };

        if (!qcow2)
        {
            if (snapshot is not null)
            {
                throw new KeyNotFoundException($"{path}: a raw image has no snapshot '{snapshot}'");
            }

            return new RawImage(path, description);
        }

        return Qcow2Image.Open(path, description, snapshot, (backingName, backingFormat) =>
        {
            string backingPath = ResolveBacking(path, backingName);
            return OpenChained(backingPath, backingPath, null, backingFormat, chain, path);
        });
    }

    /// <summary>qemu resolves a relative backing name against the directory of the image naming it (path_combine).</summary>
    private static string ResolveBacking(string image, string backingName)
    {
        if (backingName.Contains(':', StringComparison.Ordinal) && backingName.Split(':')[0] is "json" or "nbd" or "http" or "https" or "ssh" or "iscsi")
        {
            throw new NotSupportedException($"{image}: backing file '{backingName}' is not a local file");
        }

        if (Path.IsPathRooted(backingName))
        {
            return backingName;
        }

        string dir = Path.GetDirectoryName(Path.GetFullPath(image)) ?? ".";
        return Path.Combine(dir, backingName);
    }

    private static string Canonical(string path)
    {
        var full = Path.GetFullPath(path);
        var target = File.ResolveLinkTarget(full, returnFinalTarget: true);
        return target?.FullName ?? full;
    }

    private static bool IsQcow2(string path)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        Span<byte> magic = stackalloc byte[4];
        int n = RandomAccess.Read(f.SafeFileHandle, magic, 0);
        return n == 4 && System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(magic) == Qcow2Header.Magic;
    }
}

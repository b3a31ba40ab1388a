using VmTeleport.Content.Layout;
using VmTeleport.Disks;
using VmTeleport.Rebuild.Verification;
using VmTeleport.TestSupport;

namespace VmTeleport.Rebuild.Tests;

/// <summary>Rebuilds a fixture image the way `vmteleport rebuild` does, into a temporary folder.</summary>
internal static class RebuildHarness
{
    public static (RebuildResult Result, ComparisonReport Report) Rebuild(string image, string output)
    {
        using var disk = DiskImage.Open(image);
        var layout = DiskLayout.Read(disk, 2);
        using var provider = new SourceImageProvider(disk);
        ComparisonReport? report = null;
        var result = DiskRebuilder.Rebuild(layout, provider, output, partial =>
        {
            report = ImageVerification.Compare(image, partial, 2);
            return report.Exact;
        });
        return (result, report!);
    }

    /// <summary>Byte offset of each ext volume, for the kernel's loop mounts.</summary>
    public static IReadOnlyList<long> ExtOffsets(string image)
    {
        using var disk = DiskImage.Open(image);
        return DiskLayout.ExtVolumeNumbers(disk).Select(n => DiskLayout.VolumeExtent(disk, n).Offset).ToList();
    }

    public static string ToRaw(string image, string dir)
    {
        var (path, snapshot) = DiskImage.SplitSpec(image);
        var raw = Path.Combine(dir, Path.GetFileName(path) + (snapshot is null ? "" : "-" + snapshot) + ".raw");
        var args = new List<string> { "convert", "-O", "raw" };
        if (snapshot is not null)
        {
            args.AddRange(["-l", snapshot]);
        }

        args.AddRange([path, raw]);
        ExternalCommand.Check("qemu-img", [.. args]);
        return raw;
    }

    /// <summary>walk.py's lines without inode numbers, which a rebuild renumbers.</summary>
    public static IReadOnlyList<string> KernelView(string raw, long offset)
    {
        using var mount = LoopMount.Raw(raw, offset);
        return mount.Walk().Select(l => System.Text.RegularExpressions.Regex.Replace(l, "\"inode\":[0-9]+,", "")).ToList();
    }
}

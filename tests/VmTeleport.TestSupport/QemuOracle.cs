namespace VmTeleport.TestSupport;

/// <summary>QEMU's own reading of an image: `qemu-img convert -O raw`, optionally of one snapshot.</summary>
public static class QemuOracle
{
    /// <summary>Converts an image (or one of its internal snapshots) to a raw file in a new temp folder; the caller deletes it.</summary>
    public static string ConvertToRaw(string image, string? snapshot = null)
    {
        var dir = Directory.CreateTempSubdirectory("vmt-raw-").FullName;
        var raw = System.IO.Path.Combine(dir, "image.raw");
        var args = new List<string> { "convert", "-U", "-O", "raw" };
        if (snapshot is not null)
        {
            args.AddRange(["-l", snapshot.All(char.IsAsciiDigit) ? $"snapshot.id={snapshot}" : $"snapshot.name={snapshot}"]);
        }

        args.AddRange([image, raw]);
        var r = ExternalCommand.Run("qemu-img", args);
        if (r.ExitCode != 0)
        {
            Directory.Delete(dir, true);
            throw new InvalidOperationException($"qemu-img convert {image} failed: {r.StdErr}");
        }

        return raw;
    }
}

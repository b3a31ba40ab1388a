namespace VmTeleport.TestSupport;

/// <summary>
/// The kernel's own reading of a filesystem image, mounted read-only on a loop device for the
/// lifetime of this object. A qcow2 is first exposed as raw through qemu-storage-daemon's FUSE
/// export, since this kernel has no nbd module.
/// </summary>
public sealed class LoopMount : IDisposable
{
    private static readonly SemaphoreSlim MountLock = new(1, 1);

    private LoopMount(string mountPoint) => MountPoint = mountPoint;

    public string MountPoint { get; }

    /// <summary>Mounts the filesystem that starts at <paramref name="offset"/> of a raw image.</summary>
    public static LoopMount Raw(string rawImage, long offset = 0, string fsType = "ext4")
    {
        var dir = Directory.CreateTempSubdirectory("vmt-mnt-").FullName;
        MountLock.Wait();
        try
        {
            ExternalCommand.Check(
                "mount", "-t", fsType, "-o", $"ro,loop,noload,offset={offset}", rawImage, dir);
        }
        catch
        {
            Directory.Delete(dir);
            throw;
        }
        finally
        {
            MountLock.Release();
        }

        return new LoopMount(dir);
    }

    /// <summary>The kernel's view as JSON lines in the format of `vmteleport tree --jsonl` (tools/oracle/walk.py).</summary>
    public IReadOnlyList<string> Walk(bool hashes = true)
    {
        var args = new List<string> { RepoRoot.Combine("tools", "oracle", "walk.py"), MountPoint };
        if (!hashes)
        {
            args.Add("--no-hash");
        }

        var output = ExternalCommand.Run("python3", args);
        if (output.ExitCode != 0)
        {
            throw new InvalidOperationException($"walk.py failed: {output.StdErr}");
        }

        return output.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public void Dispose()
    {
        ExternalCommand.Run("umount", [MountPoint]);
        try
        {
            Directory.Delete(MountPoint);
        }
        catch (IOException)
        {
            // Still busy: leave the empty folder in /tmp rather than fail the test that used it.
        }
    }
}

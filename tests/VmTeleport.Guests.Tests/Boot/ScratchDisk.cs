using VmTeleport.TestSupport;

namespace VmTeleport.Guests.Tests.Boot;

/// <summary>A raw disk image built for one test by shell commands (sfdisk, sgdisk, mkfs), deleted afterwards.</summary>
internal sealed class ScratchDisk : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmt-boot-").FullName;

    public ScratchDisk(int sizeMiB)
    {
        Path = System.IO.Path.Combine(_dir, "disk.raw");
        ExternalCommand.Check("truncate", "-s", $"{sizeMiB}M", Path);
    }

    public string Path { get; }

    /// <summary>A scratch folder beside the disk (for trees given to mkfs -d).</summary>
    public string Folder(string name)
    {
        var dir = System.IO.Path.Combine(_dir, name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Runs a bash script with $D set to the disk's path and $W to the scratch folder.</summary>
    public ScratchDisk Run(string script)
    {
        ExternalCommand.Check("bash", "-euo", "pipefail", "-c", $"D='{Path}'; W='{_dir}'; {script}");
        return this;
    }

    public ScratchDisk Write(long offset, ReadOnlySpan<byte> bytes)
    {
        using var f = new FileStream(Path, FileMode.Open, FileAccess.Write);
        f.Position = offset;
        f.Write(bytes);
        return this;
    }

    public byte[] Read(long offset, int count)
    {
        using var f = File.OpenRead(Path);
        var b = new byte[count];
        f.Position = offset;
        f.ReadExactly(b);
        return b;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

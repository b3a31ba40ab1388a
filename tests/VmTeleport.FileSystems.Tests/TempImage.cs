namespace VmTeleport.FileSystems.Tests;

/// <summary>A scratch copy of a fixture image, patched by a test and deleted afterwards.</summary>
internal sealed class TempImage(string path) : IDisposable
{
    public string Path { get; } = path;

    public void Patch(long offset, ReadOnlySpan<byte> bytes)
    {
        using var f = new FileStream(Path, FileMode.Open, FileAccess.ReadWrite);
        f.Position = offset;
        f.Write(bytes);
    }

    public byte[] Read(long offset, int count)
    {
        using var f = new FileStream(Path, FileMode.Open, FileAccess.Read);
        var b = new byte[count];
        f.Position = offset;
        f.ReadExactly(b);
        return b;
    }

    public void Dispose() => Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
}

namespace VmTeleport.Cli;

/// <summary>
/// Holds OUTPUT.lock exclusively (flock through FileShare.None) while a command writes OUTPUT, so
/// that a second pull to the same output is refused at once instead of racing the first.
/// </summary>
public sealed class OutputLock : IDisposable
{
    private readonly FileStream _file;

    private OutputLock(FileStream file) => _file = file;

    public static OutputLock Take(string output)
    {
        var path = output + ".lock";
        try
        {
            return new OutputLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose));
        }
        catch (IOException e)
        {
            throw new IOException($"{output}: another vmteleport is writing it ({path} is locked)", e);
        }
    }

    public void Dispose() => _file.Dispose();
}

namespace VmTeleport.Cli;

/// <summary>Forwards progress on the reporting thread (System.Progress would post it to the thread pool, out of order).</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

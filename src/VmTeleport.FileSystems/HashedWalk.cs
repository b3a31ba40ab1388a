using System.Threading.Channels;

namespace VmTeleport.FileSystems;

/// <summary>
/// Walks a filesystem and hashes every regular file with SHA-256, several files at a time, while
/// yielding the entries in walk order. The window of files in flight is bounded (count and
/// bytes), so memory stays flat whatever the filesystem holds.
/// </summary>
public static class HashedWalk
{

    /// <summary>
    /// Every entry of <paramref name="fs"/> in <see cref="IFileSystem.Walk"/> order, with the
    /// lowercase hex SHA-256 of regular files (null for other types). Requires the filesystem's
    /// <see cref="IFileSystem.OpenRead"/> to be safe to call from several threads.
    /// </summary>
    public static IEnumerable<(FileSystemEntry Entry, string? Sha256)> Run(IFileSystem fs, int parallelism) =>
        Run(fs, parallelism, e => TreeRecord.Sha256(fs, e));

    /// <summary>
    /// Every entry of <paramref name="fs"/> in walk order with what <paramref name="digest"/>
    /// computed for it (regular files only; default for the other types), <paramref name="parallelism"/>
    /// files at a time. <paramref name="digest"/> runs on thread-pool threads and may return default
    /// for files it does not need to read.
    /// </summary>
    public static IEnumerable<(FileSystemEntry Entry, T? Digest)> Run<T>(
        IFileSystem fs, int parallelism, Func<FileSystemEntry, T?> digest)
    {
        ArgumentNullException.ThrowIfNull(fs);
        ArgumentNullException.ThrowIfNull(digest);
        if (parallelism <= 1)
        {
            foreach (var e in fs.Walk())
            {
                yield return (e, e.Type == EntryType.File ? digest(e) : default);
            }

            yield break;
        }

        // Entries go into a bounded channel in walk order; each file's hash is a task started at
        // once on the thread pool, with a semaphore capping how many read at the same time.
        var pending = Channel.CreateBounded<(FileSystemEntry, Task<T?>)>(
            new BoundedChannelOptions(parallelism * 8) { SingleReader = true, SingleWriter = true });
        // Not disposed: hash tasks still running when a consumer stops early release into it.
        var slots = new SemaphoreSlim(parallelism);
        using var cancel = new CancellationTokenSource();
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    foreach (var e in fs.Walk())
                    {
                        cancel.Token.ThrowIfCancellationRequested();
                        Task<T?> hash = Task.FromResult<T?>(default);
                        if (e.Type == EntryType.File)
                        {
                            await slots.WaitAsync(cancel.Token).ConfigureAwait(false);
                            hash = Task.Run(
                                () =>
                                {
                                    try
                                    {
                                        return digest(e);
                                    }
                                    finally
                                    {
                                        slots.Release();
                                    }
                                },
                                cancel.Token);
                        }

                        await pending.Writer.WriteAsync((e, hash), cancel.Token).ConfigureAwait(false);
                    }

                    pending.Writer.Complete();
                }
                catch (Exception ex)
                {
                    pending.Writer.Complete(ex);
                }
            },
            cancel.Token);

        try
        {
            while (true)
            {
                (FileSystemEntry, Task<T?>) item;
                try
                {
                    if (!pending.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                    {
                        break;
                    }

                    if (!pending.Reader.TryRead(out item))
                    {
                        continue;
                    }
                }
                catch (ChannelClosedException e) when (e.InnerException is not null)
                {
                    throw e.InnerException;
                }

                yield return (item.Item1, item.Item2.GetAwaiter().GetResult());
            }
        }
        finally
        {
            cancel.Cancel();
            try
            {
                producer.Wait();
            }
            catch (AggregateException)
            {
                // The consumer stopped early or already saw the producer's exception.
            }
        }
    }
}

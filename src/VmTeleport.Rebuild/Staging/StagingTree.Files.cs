using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using VmTeleport.FileSystems;

namespace VmTeleport.Rebuild.Staging;

/// <summary>
/// Regular files: created by <see cref="Add"/> in walk order (so names, hard links and directory
/// contents are decided on one thread), then filled and finished on workers through the open
/// descriptor alone: content, size, owner, xattrs, mode, times — in that order, because writing or
/// truncating removes security.capability and chown clears setuid/setgid, and writing sets mtime.
/// No path is resolved on a worker, so the safety argument of <see cref="StagingTree"/> is unchanged.
/// </summary>
public sealed partial class StagingTree
{
    /// <summary>A created file whose descriptor the writer owns from now on.</summary>
    private sealed record StagedFile(int Fd, FileSystemEntry Entry, Action<IContentSink>? Content);

    /// <summary>
    /// Finishes staged files on <c>threads</c> workers through a bounded queue (so at most a few
    /// descriptors per worker are open and waiting), or inline with one thread. The first failure
    /// is kept; later files are closed unwritten and the failure is thrown on the next call.
    /// </summary>
    private sealed class FileWriters : IDisposable
    {
        private readonly BlockingCollection<StagedFile>? _queue;
        private readonly Thread[] _workers;
        private ExceptionDispatchInfo? _failure;
        private bool _disposed;

        public FileWriters(int threads)
        {
            if (threads == 1)
            {
                _workers = [];
                return;
            }

            _queue = new BlockingCollection<StagedFile>(boundedCapacity: threads * 8);
            _workers = new Thread[threads];
            for (int i = 0; i < threads; i++)
            {
                _workers[i] = new Thread(Work) { IsBackground = true, Name = $"staging writer {i}" };
                _workers[i].Start();
            }
        }

        public void Write(StagedFile file)
        {
            if (_queue is null)
            {
                Finish(file);
                return;
            }

            _queue.Add(file);
        }

        public void ThrowIfFailed() => Volatile.Read(ref _failure)?.Throw();

        /// <summary>Waits until every file is finished; throws the first failure.</summary>
        public void Complete()
        {
            Drain();
            ThrowIfFailed();
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Drain();
            _queue?.Dispose();
        }

        private void Drain()
        {
            if (_queue is null || _queue.IsAddingCompleted)
            {
                return;
            }

            _queue.CompleteAdding();
            foreach (var worker in _workers)
            {
                worker.Join();
            }
        }

        private void Work()
        {
            foreach (var file in _queue!.GetConsumingEnumerable())
            {
                if (Volatile.Read(ref _failure) is not null)
                {
                    NativeMethods.Close(file.Fd);
                    continue;
                }

                try
                {
                    Finish(file);
                }
#pragma warning disable CA1031 // Any failure of a worker (the provider's included) is the caller's, thrown on its next call.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                }
            }
        }

        private static void Finish(StagedFile file)
        {
            var (fd, entry, content) = file;
            try
            {
                content?.Invoke(new FileSink(fd, entry.Path, entry.Size));
                Check(NativeMethods.FTruncate(fd, entry.Size), "truncate", entry.Path);
                Check(NativeMethods.FChown(fd, entry.Uid, entry.Gid), "chown", entry.Path);
                foreach (var x in entry.ExtendedAttributes)
                {
                    Check(NativeMethods.FSetXattr(fd, StagingName.Z(Encoding.UTF8.GetBytes(x.Name)), x.Value, (nuint)x.Value.Length, 0),
                        $"set xattr {x.Name} on", entry.Path);
                }

                Check(NativeMethods.FChmod(fd, entry.Mode & 0xFFF), "chmod", entry.Path);
                Check(NativeMethods.FUtimens(fd, [.. Timespec(entry.AtimeNs), .. Timespec(entry.MtimeNs)]), "set times of", entry.Path);
            }
            finally
            {
                NativeMethods.Close(fd);
            }
        }
    }

    /// <summary>Writes a staged file's bytes at their offsets with pwrite; unwritten ranges stay holes.</summary>
    private sealed class FileSink(int fd, string path, long size) : IContentSink
    {
        // Not owned: the writer closes the descriptor. RandomAccess.Write takes the span as it is
        // (the byte[] P/Invoke of pwrite needed a copy of every write).
        private readonly SafeFileHandle _handle = new(fd, ownsHandle: false);

        public void Write(long offset, ReadOnlySpan<byte> data)
        {
            if (offset < 0 || offset + data.Length > size)
            {
                throw new InvalidDataException($"staging: content of {path} written at {offset}+{data.Length}, past its size {size}");
            }

            try
            {
                RandomAccess.Write(_handle, data, offset);
            }
            catch (IOException e)
            {
                throw new IOException($"staging: cannot write {path} at {offset}: {e.Message}", e);
            }
        }
    }
}

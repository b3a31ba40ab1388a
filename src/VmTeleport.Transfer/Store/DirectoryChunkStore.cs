using VmTeleport.Content.Chunking;

namespace VmTeleport.Transfer.Store;

/// <summary>
/// Chunks as files <c>ROOT/ab/abcdef…</c> (the id's 64 hex digits, the first two as a directory).
/// A chunk is written to a unique <c>.tmp</c> file beside its name and renamed into place, so a
/// process killed at any moment leaves either the whole chunk or no file of that name; leftover
/// <c>.tmp</c> files are ignored and may be deleted. After a power loss a renamed file may still
/// be short (no fsync per chunk, which would cost more than the transfer): <see cref="TryRead"/>
/// re-hashes every chunk and deletes one that does not match, so it is fetched again.
/// </summary>
public sealed class DirectoryChunkStore : IChunkStore
{
    private readonly ChunkHasher _hasher;

    public DirectoryChunkStore(string root, ChunkHasher? hasher = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        _hasher = hasher ?? ChunkHasher.Default;
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(ChunkId id)
    {
        var hex = id.ToString();
        return Path.Combine(Root, hex[..2], hex);
    }

    public bool Contains(ChunkId id) => File.Exists(PathOf(id));

    public bool TryRead(ChunkId id, out byte[] data)
    {
        var path = PathOf(id);
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            data = [];
            return false;
        }

        if (_hasher.Hash(data) != id)
        {
            File.Delete(path);
            data = [];
            return false;
        }

        return true;
    }

    public void Write(ChunkId id, ReadOnlySpan<byte> data)
    {
        var actual = _hasher.Hash(data);
        if (actual != id)
        {
            throw new InvalidDataException($"refusing to store {data.Length} bytes as chunk {id}: they hash to {actual}");
        }

        var path = PathOf(id);
        if (File.Exists(path))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
            {
                file.Write(data);
            }

            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }

    /// <summary>Every chunk id present (file names that are ids), for checks and tools.</summary>
    public IEnumerable<ChunkId> Enumerate()
    {
        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            foreach (var file in Directory.EnumerateFiles(dir))
            {
                if (ChunkId.TryParse(Path.GetFileName(file), out var id))
                {
                    yield return id;
                }
            }
        }
    }
}

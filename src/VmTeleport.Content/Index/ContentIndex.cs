using System.Globalization;
using Microsoft.Data.Sqlite;
using VmTeleport.Content.Chunking;

namespace VmTeleport.Content.Index;

/// <summary>
/// The destination's persistent index of local content (docs/content-index.md): which files and
/// chunks its disk images, their snapshots and backing files, and its .deb archives hold, so the
/// planner can ask "where can I read this file / this chunk" without reading any of them.
/// One SQLite file, DATA_DIR/index.sqlite, in WAL mode; every source is written in one
/// transaction, so an interrupted add leaves the index as it was before that source.
/// Not thread-safe: one instance per thread.
/// </summary>
public sealed partial class ContentIndex : IDisposable
{
    public const string FileName = "index.sqlite";

    private readonly SqliteConnection _connection;

    private ContentIndex(SqliteConnection connection, string file, int threads)
    {
        _connection = connection;
        File = file;
        Threads = threads;
    }

    /// <summary>The database file.</summary>
    public string File { get; }

    /// <summary>Files read at the same time while indexing an image.</summary>
    public int Threads { get; }

    /// <summary>Opens (creating when absent) DATA_DIR/index.sqlite; the directory is created too.</summary>
    public static ContentIndex Open(string dataDir) => Open(dataDir, Math.Max(2, Environment.ProcessorCount));

    public static ContentIndex Open(string dataDir, int threads) => Open(dataDir, threads, BusyTimeoutSeconds);

    /// <summary>How long a writer waits for another process's transaction before giving up.</summary>
    internal const int BusyTimeoutSeconds = 60;

    internal static ContentIndex Open(string dataDir, int threads, int busyTimeoutSeconds)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDir);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Directory.CreateDirectory(dataDir);
        var file = Path.Combine(Path.GetFullPath(dataDir), FileName);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = busyTimeoutSeconds,
        }.ToString());
        try
        {
            connection.Open();
            IndexSchema.Ensure(connection, file);
            return new ContentIndex(connection, file, threads);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new IOException($"{file}: {e.Message}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>Every source, ordered by location then snapshot.</summary>
    public IReadOnlyList<IndexedSource> Sources()
    {
        using var cmd = Command($"SELECT {SourceColumns} FROM sources ORDER BY location, snapshot");
        using var r = cmd.ExecuteReader();
        var list = new List<IndexedSource>();
        while (r.Read())
        {
            list.Add(ReadSource(r));
        }

        return list;
    }

    /// <summary>Totals counted from the file, chunk and package rows themselves.</summary>
    public IndexSummary Summary()
    {
        using var cmd = Command("""
            SELECT (SELECT count(*) FROM sources),
                   (SELECT count(*) FROM files WHERE path IS NOT NULL),
                   (SELECT count(*) FROM files WHERE path IS NULL),
                   (SELECT count(*) FROM file_chunks),
                   (SELECT count(DISTINCT chunk_id) FROM file_chunks),
                   (SELECT coalesce(sum(size), 0) FROM files),
                   (SELECT count(*) FROM packages)
            """);
        using var r = cmd.ExecuteReader();
        r.Read();
        return new IndexSummary(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6));
    }

    /// <summary>Files whose content has this SHA-256, package files first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<FileLocation> FindFilesBySha256(ReadOnlySpan<byte> sha256, int limit)
    {
        if (sha256.Length != 32)
        {
            throw new ArgumentException($"a SHA-256 is 32 bytes, not {sha256.Length}", nameof(sha256));
        }

        using var cmd = Command($"{FileSelect} WHERE f.sha256 = $sha ORDER BY s.kind = 'deb' DESC, f.id LIMIT $limit");
        cmd.Parameters.AddWithValue("$sha", sha256.ToArray());
        cmd.Parameters.AddWithValue("$limit", limit);
        return ReadFiles(cmd);
    }

    /// <summary>The files of a source (not its raw regions), in the order they were indexed.</summary>
    public IReadOnlyList<FileLocation> FilesOf(long sourceId)
    {
        using var cmd = Command($"{FileSelect} WHERE f.source_id = $s AND f.path IS NOT NULL ORDER BY f.id");
        cmd.Parameters.AddWithValue("$s", sourceId);
        return ReadFiles(cmd);
    }

    /// <summary>
    /// Which of the places holding a chunk is named: those readable at random (images, snapshots,
    /// backing files) before packages (read forward through their data.tar), then by source.
    /// </summary>
    private const string PreferredPlace = "s.kind = 'deb', s.id";

    /// <summary>One place the chunk's bytes can be read from (<see cref="PreferredPlace"/>), or null when no source holds it.</summary>
    public ChunkLocation? FindChunk(ChunkId id)
    {
        using var cmd = Command($"""
            SELECT s.id, s.kind, s.location, s.snapshot, f.volume, f.path, f.raw_offset, c.offset, c.length
            FROM file_chunks c JOIN files f ON f.id = c.file_id JOIN sources s ON s.id = f.source_id
            WHERE c.chunk_id = $id ORDER BY {PreferredPlace} LIMIT 1
            """);
        cmd.Parameters.AddWithValue("$id", id.ToArray());
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadLocation(r) : null;
    }

    /// <summary>
    /// For many chunks at once (a pull's whole manifest), one place each that holds it, the one
    /// <see cref="FindChunk"/> names; chunks no source holds are absent from the result.
    /// One join over a temporary table instead of a query per chunk.
    /// </summary>
    public Dictionary<ChunkId, ChunkLocation> LocateChunks(IEnumerable<ChunkId> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        using (var create = Command("CREATE TEMP TABLE IF NOT EXISTS wanted_chunks (id BLOB PRIMARY KEY) WITHOUT ROWID"))
        {
            create.ExecuteNonQuery();
        }

        try
        {
            using (var tx = _connection.BeginTransaction())
            {
                using var insert = Command("INSERT OR IGNORE INTO wanted_chunks (id) VALUES ($id)", tx);
                var p = insert.Parameters.Add("$id", Microsoft.Data.Sqlite.SqliteType.Blob);
                foreach (var id in ids)
                {
                    p.Value = id.ToArray();
                    insert.ExecuteNonQuery();
                }

                tx.Commit();
            }

            using var cmd = Command($"""
                SELECT source_id, kind, location, snapshot, volume, path, raw_offset, offset, length, chunk_id FROM (
                    SELECT s.id AS source_id, s.kind, s.location, s.snapshot, f.volume, f.path, f.raw_offset, c.offset, c.length, c.chunk_id,
                           ROW_NUMBER() OVER (PARTITION BY c.chunk_id ORDER BY {PreferredPlace}) AS n
                    FROM wanted_chunks w JOIN file_chunks c ON c.chunk_id = w.id
                    JOIN files f ON f.id = c.file_id JOIN sources s ON s.id = f.source_id)
                WHERE n = 1
                """);
            using var r = cmd.ExecuteReader();
            var found = new Dictionary<ChunkId, ChunkLocation>();
            while (r.Read())
            {
                found[new ChunkId((byte[])r[9])] = ReadLocation(r);
            }

            return found;
        }
        finally
        {
            using var drop = Command("DROP TABLE IF EXISTS temp.wanted_chunks");
            drop.ExecuteNonQuery();
        }
    }

    private static ChunkLocation ReadLocation(Microsoft.Data.Sqlite.SqliteDataReader r) =>
        new ChunkLocation
        {
            SourceId = r.GetInt64(0),
            Kind = SourceKinds.Parse(r.GetString(1)),
            Location = r.GetString(2),
            Snapshot = NullIfEmpty(r.GetString(3)),
            Volume = r.IsDBNull(4) ? null : r.GetInt32(4),
            Path = r.IsDBNull(5) ? null : r.GetString(5),
            RawOffset = r.IsDBNull(6) ? null : r.GetInt64(6),
            Offset = r.GetInt64(7),
            Length = r.GetInt32(8),
        };

    /// <summary>The packages of a source: a guest's dpkg packages, or the .deb's own.</summary>
    public IReadOnlyList<IndexedPackage> PackagesOf(long sourceId)
    {
        using var cmd = Command("""
            SELECT p.name, p.version, p.architecture, p.filename, p.deb_size, p.deb_sha256, s.suite
            FROM packages p JOIN sources s ON s.id = p.source_id WHERE p.source_id = $s ORDER BY p.name, p.architecture, p.version
            """);
        cmd.Parameters.AddWithValue("$s", sourceId);
        using var r = cmd.ExecuteReader();
        var list = new List<IndexedPackage>();
        while (r.Read())
        {
            list.Add(new IndexedPackage(r.GetString(0), r.GetString(1), r.GetString(2))
            {
                ArchiveLocation = r.IsDBNull(3) ? null : r.GetString(3),
                ArchiveSize = r.IsDBNull(4) ? null : r.GetInt64(4),
                ArchiveSha256 = r.IsDBNull(5) ? null : (byte[])r[5],
                Suite = r.IsDBNull(6) ? null : r.GetString(6),
            });
        }

        return list;
    }

    /// <summary>
    /// Every indexed package named one of <paramref name="names"/>, any version and architecture,
    /// with the source holding it; in one query (the names go in as one JSON array, and
    /// packages(name) is indexed), ordered by name, architecture, source id.
    /// </summary>
    public IReadOnlyList<PackageLocation> PackagesNamed(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        using var cmd = Command("""
            SELECT p.name, p.version, p.architecture, p.filename, p.deb_size, p.deb_sha256, s.suite, s.id, s.kind, s.location, s.snapshot
            FROM packages p JOIN sources s ON s.id = p.source_id
            WHERE p.name IN (SELECT value FROM json_each($names))
            ORDER BY p.name, p.architecture, s.id
            """);
        cmd.Parameters.AddWithValue("$names", System.Text.Json.JsonSerializer.Serialize(names.Distinct(StringComparer.Ordinal).ToArray()));
        using var r = cmd.ExecuteReader();
        var list = new List<PackageLocation>();
        while (r.Read())
        {
            var package = new IndexedPackage(r.GetString(0), r.GetString(1), r.GetString(2))
            {
                ArchiveLocation = r.IsDBNull(3) ? null : r.GetString(3),
                ArchiveSize = r.IsDBNull(4) ? null : r.GetInt64(4),
                ArchiveSha256 = r.IsDBNull(5) ? null : (byte[])r[5],
                Suite = r.IsDBNull(6) ? null : r.GetString(6),
            };
            list.Add(new PackageLocation(package, r.GetInt64(7), SourceKinds.Parse(r.GetString(8)), r.GetString(9), NullIfEmpty(r.GetString(10))));
        }

        return list;
    }

    /// <summary>The distinct chunk ids of a source (files and regions), in id order; read lazily.</summary>
    public IEnumerable<ChunkId> ChunksOf(long sourceId)
    {
        using var cmd = Command("""
            SELECT DISTINCT c.chunk_id FROM files f JOIN file_chunks c ON c.file_id = f.id
            WHERE f.source_id = $s ORDER BY c.chunk_id
            """);
        cmd.Parameters.AddWithValue("$s", sourceId);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            yield return new ChunkId((byte[])r[0]);
        }
    }

    private const string SourceColumns =
        "id, kind, location, snapshot, format, size, mtime_ns, fingerprint, distro, distro_version, codename, state, indexed_at, files, regions, chunks, bytes, suite";

    private static IndexedSource ReadSource(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0),
        Kind = SourceKinds.Parse(r.GetString(1)),
        Location = r.GetString(2),
        Snapshot = NullIfEmpty(r.GetString(3)),
        Format = r.GetString(4),
        Size = r.GetInt64(5),
        MtimeNs = r.GetInt64(6),
        Fingerprint = r.GetString(7),
        Distro = r.IsDBNull(8) ? null : r.GetString(8),
        DistroVersion = r.IsDBNull(9) ? null : r.GetString(9),
        Codename = r.IsDBNull(10) ? null : r.GetString(10),
        State = r.GetString(11),
        IndexedAt = DateTimeOffset.Parse(r.GetString(12), CultureInfo.InvariantCulture),
        Files = r.GetInt64(13),
        Regions = r.GetInt64(14),
        Chunks = r.GetInt64(15),
        Bytes = r.GetInt64(16),
        Suite = r.IsDBNull(17) ? null : r.GetString(17),
    };

    private const string FileSelect = """
        SELECT s.id, s.kind, s.location, s.snapshot, f.volume, f.path, f.guest_path, f.size, f.sha256, f.md5
        FROM files f JOIN sources s ON s.id = f.source_id
        """;

    private static List<FileLocation> ReadFiles(SqliteCommand cmd)
    {
        using var r = cmd.ExecuteReader();
        var list = new List<FileLocation>();
        while (r.Read())
        {
            list.Add(new FileLocation
            {
                SourceId = r.GetInt64(0),
                Kind = SourceKinds.Parse(r.GetString(1)),
                Location = r.GetString(2),
                Snapshot = NullIfEmpty(r.GetString(3)),
                Volume = r.IsDBNull(4) ? null : r.GetInt32(4),
                Path = r.GetString(5),
                GuestPath = r.IsDBNull(6) ? null : r.GetString(6),
                Size = r.GetInt64(7),
                Sha256 = (byte[])r[8],
                Md5 = r.IsDBNull(9) ? null : (byte[])r[9],
            });
        }

        return list;
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    private SqliteCommand Command(string sql, SqliteTransaction? tx = null)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    private IndexedSource? Find(string location, string? snapshot)
    {
        using var cmd = Command($"SELECT {SourceColumns} FROM sources WHERE location = $l AND snapshot = $s");
        cmd.Parameters.AddWithValue("$l", location);
        cmd.Parameters.AddWithValue("$s", snapshot ?? "");
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadSource(r) : null;
    }
}

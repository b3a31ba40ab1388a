using Microsoft.Data.Sqlite;

namespace VmTeleport.Content.Index;

/// <summary>
/// The tables of DATA_DIR/index.sqlite (docs/content-index.md). Rows of a source hang off its
/// sources row with ON DELETE CASCADE, so replacing a source is one DELETE in its transaction.
/// </summary>
internal static class IndexSchema
{
    public const int Version = 2;

    private const string Create = """
        CREATE TABLE schema_version (version INTEGER NOT NULL);
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            location TEXT NOT NULL,
            snapshot TEXT NOT NULL DEFAULT '',
            format TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            fingerprint TEXT NOT NULL,
            distro TEXT,
            distro_version TEXT,
            codename TEXT,
            suite TEXT,
            state TEXT NOT NULL,
            indexed_at TEXT NOT NULL,
            files INTEGER NOT NULL DEFAULT 0,
            regions INTEGER NOT NULL DEFAULT 0,
            chunks INTEGER NOT NULL DEFAULT 0,
            bytes INTEGER NOT NULL DEFAULT 0,
            UNIQUE (location, snapshot)
        );
        CREATE TABLE packages (
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            version TEXT NOT NULL,
            architecture TEXT NOT NULL,
            filename TEXT,
            deb_size INTEGER,
            deb_sha256 BLOB
        );
        CREATE INDEX packages_source ON packages(source_id);
        CREATE INDEX packages_name ON packages(name);
        CREATE TABLE files (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            volume INTEGER,
            path TEXT,
            guest_path TEXT,
            raw_offset INTEGER,
            label TEXT,
            size INTEGER NOT NULL,
            sha256 BLOB,
            md5 BLOB
        );
        CREATE INDEX files_source ON files(source_id);
        CREATE INDEX files_sha256 ON files(sha256) WHERE sha256 IS NOT NULL;
        CREATE TABLE file_chunks (
            file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            chunk_id BLOB NOT NULL,
            offset INTEGER NOT NULL,
            length INTEGER NOT NULL,
            PRIMARY KEY (file_id, seq)
        ) WITHOUT ROWID;
        CREATE INDEX file_chunks_chunk ON file_chunks(chunk_id);
        """;

    /// <summary>Creates the tables in a new database, or checks the version of an existing one.</summary>
    public static void Ensure(SqliteConnection connection, string file)
    {
        using (var wal = connection.CreateCommand())
        {
            // WAL: readers (index list, the planner) never block the writer and see whole sources only.
            wal.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
            wal.ExecuteNonQuery();
        }

        using var check = connection.CreateCommand();
        check.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";
        if ((long)check.ExecuteScalar()! == 0)
        {
            using var tx = connection.BeginTransaction();
            using var create = connection.CreateCommand();
            create.Transaction = tx;
            create.CommandText = Create + $"INSERT INTO schema_version(version) VALUES ({Version});";
            create.ExecuteNonQuery();
            tx.Commit();
            return;
        }

        check.CommandText = "SELECT max(version) FROM schema_version";
        var found = check.ExecuteScalar();
        if (found is not long version)
        {
            throw new InvalidDataException($"{file}: the schema_version table is empty");
        }

        if (version == 1)
        {
            MigrateFromVersion1(connection, file);
            return;
        }

        if (version != Version)
        {
            throw new NotSupportedException($"{file}: content index schema version {version}; this vmteleport reads version {Version}");
        }
    }

    /// <summary>
    /// Version 1 → 2, in place and in one transaction (a crash leaves version 1 whole): sources
    /// gain suite (filled for apt repositories whose URL names it under dists/; flat repositories
    /// and .debs stay NULL, unknown, until indexed again), packages an index on name (the package
    /// plan asks by name).
    /// </summary>
    private static void MigrateFromVersion1(SqliteConnection connection, string file)
    {
        SqliteTransaction tx;
        try
        {
            tx = connection.BeginTransaction();
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            throw new IOException($"{file}: another process is using the index; its schema could not be upgraded from version 1 to {Version} (try again when it is done)", e);
        }

        using (tx)
        {
            using (var alter = connection.CreateCommand())
            {
                alter.Transaction = tx;
                alter.CommandText = "ALTER TABLE sources ADD COLUMN suite TEXT; CREATE INDEX IF NOT EXISTS packages_name ON packages(name);";
                alter.ExecuteNonQuery();
            }

            var repositories = new List<(long Id, string Location)>();
            using (var select = connection.CreateCommand())
            {
                select.Transaction = tx;
                select.CommandText = "SELECT id, location FROM sources WHERE kind = 'apt-repository'";
                using var r = select.ExecuteReader();
                while (r.Read())
                {
                    repositories.Add((r.GetInt64(0), r.GetString(1)));
                }
            }

            using (var update = connection.CreateCommand())
            {
                update.Transaction = tx;
                update.CommandText = "UPDATE sources SET suite = $suite WHERE id = $id";
                var suite = update.Parameters.Add("$suite", SqliteType.Text);
                var id = update.Parameters.Add("$id", SqliteType.Integer);
                foreach (var repo in repositories)
                {
                    suite.Value = (object?)AptSuites.FromLocation(repo.Location) ?? DBNull.Value;
                    id.Value = repo.Id;
                    update.ExecuteNonQuery();
                }
            }

            using (var version = connection.CreateCommand())
            {
                version.Transaction = tx;
                version.CommandText = $"DELETE FROM schema_version; INSERT INTO schema_version(version) VALUES ({Version});";
                version.ExecuteNonQuery();
            }

            tx.Commit();
        }
    }
}

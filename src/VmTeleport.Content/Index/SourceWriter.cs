using System.Globalization;
using Microsoft.Data.Sqlite;
using VmTeleport.Content.Images;

namespace VmTeleport.Content.Index;

/// <summary>
/// Writes one source inside one transaction: its old rows deleted (ON DELETE CASCADE), the
/// sources row, packages, files and regions with their chunks, then the totals. Nothing is
/// visible to readers until <see cref="Commit"/>; disposing without it rolls everything back.
/// </summary>
internal sealed class SourceWriter : IDisposable
{
    private readonly SqliteTransaction _tx;
    private readonly SqliteCommand _file;
    private readonly SqliteCommand _chunk;
    private readonly SqliteCommand _package;
    private readonly long _sourceId;

    public SourceWriter(SqliteConnection connection, SourceRow row)
    {
        try
        {
            _tx = connection.BeginTransaction();
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            // SQLITE_BUSY / SQLITE_LOCKED after the connection's busy timeout: another writer holds the index.
            throw new IOException($"{connection.DataSource}: another process is writing the index; {row.Location} was not indexed (try again when it is done)", e);
        }

        try
        {
            using (var delete = New(connection, "DELETE FROM sources WHERE location = $l AND snapshot = $s"))
            {
                delete.Parameters.AddWithValue("$l", row.Location);
                delete.Parameters.AddWithValue("$s", row.Snapshot ?? "");
                delete.ExecuteNonQuery();
            }

            using (var insert = New(connection, """
                INSERT INTO sources (kind, location, snapshot, format, size, mtime_ns, fingerprint, distro, distro_version, codename, suite, state, indexed_at)
                VALUES ($kind, $l, $s, $format, $size, $mtime, $fp, $distro, $version, $codename, $suite, 'indexed', $at) RETURNING id
                """))
            {
                var p = insert.Parameters;
                p.AddWithValue("$kind", row.Kind.Name());
                p.AddWithValue("$l", row.Location);
                p.AddWithValue("$s", row.Snapshot ?? "");
                p.AddWithValue("$format", row.Format);
                p.AddWithValue("$size", row.Size);
                p.AddWithValue("$mtime", row.MtimeNs);
                p.AddWithValue("$fp", row.Fingerprint);
                p.AddWithValue("$distro", (object?)row.Distro ?? DBNull.Value);
                p.AddWithValue("$version", (object?)row.DistroVersion ?? DBNull.Value);
                p.AddWithValue("$codename", (object?)row.Codename ?? DBNull.Value);
                p.AddWithValue("$suite", (object?)row.Suite ?? DBNull.Value);
                p.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                _sourceId = (long)insert.ExecuteScalar()!;
            }

            _file = New(connection, """
                INSERT INTO files (source_id, volume, path, guest_path, raw_offset, label, size, sha256, md5)
                VALUES ($src, $volume, $path, $guest, $raw, $label, $size, $sha, $md5) RETURNING id
                """);
            foreach (var name in new[] { "$src", "$volume", "$path", "$guest", "$raw", "$label", "$size", "$sha", "$md5" })
            {
                _file.Parameters.Add(new SqliteParameter(name, null));
            }

            _file.Parameters["$src"].Value = _sourceId;
            _chunk = New(connection, "INSERT INTO file_chunks (file_id, seq, chunk_id, offset, length) VALUES ($f, $seq, $id, $off, $len)");
            foreach (var name in new[] { "$f", "$seq", "$id", "$off", "$len" })
            {
                _chunk.Parameters.Add(new SqliteParameter(name, null));
            }

            _package = New(connection, "INSERT INTO packages (source_id, name, version, architecture, filename, deb_size, deb_sha256) VALUES ($src, $n, $v, $a, $file, $size, $sha)");
            foreach (var name in new[] { "$src", "$n", "$v", "$a", "$file", "$size", "$sha" })
            {
                _package.Parameters.Add(new SqliteParameter(name, null));
            }

            _package.Parameters["$src"].Value = _sourceId;
        }
        catch
        {
            _tx.Dispose();
            throw;
        }
    }

    public long Files { get; private set; }

    public long Regions { get; private set; }

    public long Chunks { get; private set; }

    public long Bytes { get; private set; }

    public void AddPackage(string name, string version, string architecture, string? archive = null, long? size = null, byte[]? sha256 = null)
    {
        var p = _package.Parameters;
        p["$n"].Value = name;
        p["$v"].Value = version;
        p["$a"].Value = architecture;
        p["$file"].Value = (object?)archive ?? DBNull.Value;
        p["$size"].Value = (object?)size ?? DBNull.Value;
        p["$sha"].Value = (object?)sha256 ?? DBNull.Value;
        _package.ExecuteNonQuery();
    }

    public void Add(ContentItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        Add(item.Volume, item.Path, item.GuestPath, item.DiskOffset, item.Label, item.Size, item.Sha256, null, item.Chunks);
    }

    public void Add(int? volume, string? path, string? guestPath, long? rawOffset, string? label, long size,
        byte[]? sha256, byte[]? md5, IReadOnlyList<ChunkSpan> chunks)
    {
        var p = _file.Parameters;
        p["$volume"].Value = (object?)volume ?? DBNull.Value;
        p["$path"].Value = (object?)path ?? DBNull.Value;
        p["$guest"].Value = (object?)guestPath ?? DBNull.Value;
        p["$raw"].Value = (object?)rawOffset ?? DBNull.Value;
        p["$label"].Value = (object?)label ?? DBNull.Value;
        p["$size"].Value = size;
        p["$sha"].Value = (object?)sha256 ?? DBNull.Value;
        p["$md5"].Value = (object?)md5 ?? DBNull.Value;
        long fileId = (long)_file.ExecuteScalar()!;
        var c = _chunk.Parameters;
        c["$f"].Value = fileId;
        long offset = 0;
        for (int i = 0; i < chunks.Count; i++)
        {
            c["$seq"].Value = i;
            c["$id"].Value = chunks[i].Id.ToArray();
            c["$off"].Value = offset;
            c["$len"].Value = chunks[i].Length;
            _chunk.ExecuteNonQuery();
            offset += chunks[i].Length;
        }

        if (path is null)
        {
            Regions++;
        }
        else
        {
            Files++;
        }

        Chunks += chunks.Count;
        Bytes += size;
    }

    public void Commit()
    {
        using var totals = _file.Connection!.CreateCommand();
        totals.Transaction = _tx;
        totals.CommandText = "UPDATE sources SET files = $f, regions = $r, chunks = $c, bytes = $b WHERE id = $id";
        totals.Parameters.AddWithValue("$f", Files);
        totals.Parameters.AddWithValue("$r", Regions);
        totals.Parameters.AddWithValue("$c", Chunks);
        totals.Parameters.AddWithValue("$b", Bytes);
        totals.Parameters.AddWithValue("$id", _sourceId);
        totals.ExecuteNonQuery();
        _tx.Commit();
    }

    public void Dispose()
    {
        _file.Dispose();
        _chunk.Dispose();
        _package.Dispose();
        _tx.Dispose();
    }

    private SqliteCommand New(SqliteConnection connection, string sql)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = _tx;
        return cmd;
    }
}

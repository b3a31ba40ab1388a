using System.Diagnostics;
using System.Text.Json;

namespace VmTeleport.Content.Planning;

/// <summary>
/// How fast this machine writes a rebuilt disk: measured once by writing and flushing
/// <see cref="ProbeBytes"/> to the data directory (where rebuilds stage their work), kept in
/// DATA_DIR/throughput.json for a week so planning stays fast, measured again after that.
/// </summary>
public static class LocalThroughput
{
    public const int ProbeBytes = 128 << 20;
    private static readonly TimeSpan MaxAge = TimeSpan.FromDays(7);

    public sealed record Measurement(double WriteBytesPerSecond, DateTimeOffset MeasuredAt);

    public static Measurement Write(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        var file = Path.Combine(dataDir, "throughput.json");
        try
        {
            if (File.Exists(file) && JsonSerializer.Deserialize<Measurement>(File.ReadAllText(file)) is { } m
                && m.WriteBytesPerSecond > 0 && DateTimeOffset.UtcNow - m.MeasuredAt < MaxAge)
            {
                return m;
            }
        }
        catch (JsonException)
        {
            // A damaged cache is measured again and overwritten.
        }

        var probe = Path.Combine(dataDir, $".throughput-{Environment.ProcessId}.tmp");
        var block = new byte[1 << 20];
        Random.Shared.NextBytes(block);
        var watch = Stopwatch.StartNew();
        try
        {
            using (var f = new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                for (int i = 0; i < ProbeBytes / block.Length; i++)
                {
                    f.Write(block);
                }

                f.Flush(flushToDisk: true);
            }
        }
        finally
        {
            File.Delete(probe);
        }

        var result = new Measurement(ProbeBytes / watch.Elapsed.TotalSeconds, DateTimeOffset.UtcNow);
        var tmp = file + ".partial";
        File.WriteAllText(tmp, JsonSerializer.Serialize(result));
        File.Move(tmp, file, overwrite: true);
        return result;
    }
}

using System.Text.Json;

namespace VmTeleport.Reporting.Results;

/// <summary>
/// Reads a benchmark's results file (docs/report.md): JSON Lines, one object per measured run,
/// optionally preceded by one {"meta":{...}} line. Blank lines are skipped and unknown fields
/// ignored; anything else that does not fit is an <see cref="InvalidDataException"/> naming
/// FILE:LINE.
/// </summary>
public static class ResultsReader
{
    public static BenchmarkResults Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such results file", path);
        }

        using var reader = new StreamReader(path, System.Text.Encoding.UTF8);
        return Read(reader, path);
    }

    public static BenchmarkResults Read(TextReader reader, string path)
    {
        IReadOnlyList<KeyValuePair<string, string>> meta = [];
        var runs = new List<BenchmarkRun>();
        var number = 0;
        var sawContent = false;
        while (reader.ReadLine() is string line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var origin = $"{path}:{number}";
            using var document = Parse(line, origin);
            var fields = new LineFields(document.RootElement, origin);
            if (document.RootElement.TryGetProperty("meta", out _))
            {
                if (sawContent)
                {
                    throw new InvalidDataException($"{origin}: a {{\"meta\":…}} line must be the first line of the file");
                }

                meta = fields.Object("meta")?.Texts() ?? [];
            }
            else
            {
                runs.Add(ReadRun(fields));
            }

            sawContent = true;
        }

        if (runs.Count == 0)
        {
            throw new InvalidDataException($"{path}: no runs (expected one JSON object per line with source, scenario and method)");
        }

        return new BenchmarkResults(path, meta, runs);
    }

    private static JsonDocument Parse(string line, string origin)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{origin}: not a JSON object ({e.Message})", e);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = document.RootElement.ValueKind;
            document.Dispose();
            throw new InvalidDataException($"{origin}: expected a JSON object, found {kind.ToString().ToLowerInvariant()}");
        }

        return document;
    }

    private static BenchmarkRun ReadRun(LineFields line) => new()
    {
        Origin = line.Origin,
        Source = line.RequiredString("source"),
        Scenario = line.RequiredString("scenario"),
        Method = line.RequiredString("method"),
        Rate = line.String("rate") is { Length: > 0 } rate ? rate : BenchmarkRun.Unshaped,
        Run = line.Integer("run"),
        Exit = line.Integer("exit"),
        Seconds = line.Number("seconds"),
        Phases = line.Object("phases")?.Numbers() ?? [],
        WireBytes = line.Number("wire_bytes"),
        LowerBoundBytes = line.Number("lower_bound_bytes"),
        CpuSeconds = Ends(line.Object("cpu_seconds")),
        PeakRssBytes = Ends(line.Object("peak_rss_bytes")),
        Exact = line.Boolean("exact"),
        Decision = line.Object("decision") is LineFields d
            ? new RunDecision(
                d.String("method"),
                d.String("reason"),
                d.Number("bandwidth_bytes_per_second"),
                (d.Object("estimated_seconds")?.Numbers() ?? []).ToDictionary())
            : null,
    };

    private static EndPair? Ends(LineFields? ends) =>
        ends is null ? null : new EndPair(ends.Number("source"), ends.Number("destination"));
}

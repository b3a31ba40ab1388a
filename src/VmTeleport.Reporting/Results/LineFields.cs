using System.Globalization;
using System.Text.Json;

namespace VmTeleport.Reporting.Results;

/// <summary>
/// Typed access to the fields of one JSON object of the results file. A missing field or a JSON
/// null reads as null; a field of the wrong type is an <see cref="InvalidDataException"/> naming
/// FILE:LINE and the field, so that a typo in a benchmark script is found at once.
/// </summary>
internal sealed class LineFields(JsonElement element, string origin, string prefix = "")
{
    public string Origin => origin;

    public string? String(string name)
    {
        if (Get(name) is not JsonElement value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw WrongType(name, "a string", value);
    }

    public string RequiredString(string name) =>
        String(name) is { Length: > 0 } value ? value : throw new InvalidDataException($"{origin}: \"{prefix}{name}\" is missing; every run needs source, scenario and method");

    public double? Number(string name)
    {
        if (Get(name) is not JsonElement value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw WrongType(name, "a number", value);
    }

    public int? Integer(string name)
    {
        if (Get(name) is not JsonElement value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : throw WrongType(name, "an integer", value);
    }

    public bool? Boolean(string name)
    {
        if (Get(name) is not JsonElement value)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(name, "true, false or null", value),
        };
    }

    public LineFields? Object(string name)
    {
        if (Get(name) is not JsonElement value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? new LineFields(value, origin, $"{prefix}{name}.") : throw WrongType(name, "an object", value);
    }

    /// <summary>Every non-null member as a number, in file order (phases, estimated seconds).</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Numbers()
    {
        var numbers = new List<KeyValuePair<string, double>>();
        foreach (var member in element.EnumerateObject())
        {
            if (Number(member.Name) is double n)
            {
                numbers.Add(new(member.Name, n));
            }
        }

        return numbers;
    }

    /// <summary>Every non-null member as text: strings as they are, anything else as its JSON (the meta line).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Texts() =>
        element.EnumerateObject()
            .Where(m => m.Value.ValueKind != JsonValueKind.Null)
            .Select(m => new KeyValuePair<string, string>(m.Name, m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText()))
            .ToList();

    private JsonElement? Get(string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private InvalidDataException WrongType(string name, string expected, JsonElement found)
    {
        var text = found.GetRawText();
        if (text.Length > 40)
        {
            text = string.Concat(text.AsSpan(0, 40), "…");
        }

        return new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{origin}: \"{prefix}{name}\" must be {expected}, found {text}"));
    }
}

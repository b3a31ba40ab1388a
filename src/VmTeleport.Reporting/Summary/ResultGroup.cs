namespace VmTeleport.Reporting.Summary;

/// <summary>
/// The runs of one source at one link rate: the report's unit for a main table and its charts.
/// Scenarios are in file order; "any" is not among them (its runs are in every scenario).
/// </summary>
public sealed class ResultGroup(
    string source,
    string rate,
    IReadOnlyList<string> scenarios,
    IReadOnlyList<string> methods,
    IReadOnlyDictionary<(string Scenario, string Method), MethodCell> cells)
{
    public string Source => source;

    public string Rate => rate;

    public IReadOnlyList<string> Scenarios => scenarios;

    /// <summary>The methods with at least one run, in <see cref="MethodOrder"/>.</summary>
    public IReadOnlyList<string> Methods => methods;

    public MethodCell? Cell(string scenario, string method) => cells.GetValueOrDefault((scenario, method));

    /// <summary>The methods whose runs are of scenario "any" and so are shown in every scenario.</summary>
    public IReadOnlyList<string> MethodsOfAnyScenario =>
        methods.Where(m => scenarios.Any(s => Cell(s, m)?.FromAnyScenario == true)).ToList();
}

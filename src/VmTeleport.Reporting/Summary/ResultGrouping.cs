using VmTeleport.Reporting.Results;

namespace VmTeleport.Reporting.Summary;

/// <summary>Splits the runs into one <see cref="ResultGroup"/> per source and rate, in file order.</summary>
public static class ResultGrouping
{
    public static IReadOnlyList<ResultGroup> Group(BenchmarkResults results)
    {
        var groups = new List<ResultGroup>();
        foreach (var byGroup in results.Runs.GroupBy(r => (r.Source, r.Rate)))
        {
            var runs = byGroup.ToList();
            var scenarios = runs.Select(r => r.Scenario).Where(s => s != BenchmarkRun.AnyScenario).Distinct(StringComparer.Ordinal).ToList();
            if (scenarios.Count == 0)
            {
                // Only plain copies were measured: "any" is then the one scenario there is.
                scenarios.Add(BenchmarkRun.AnyScenario);
            }

            var methods = MethodOrder.Sort(runs.Select(r => r.Method));
            var cells = new Dictionary<(string, string), MethodCell>();
            foreach (var scenario in scenarios)
            {
                foreach (var method in methods)
                {
                    // A method measured in this very scenario wins over its "any" runs.
                    var own = runs.Where(r => r.Method == method && r.Scenario == scenario).ToList();
                    var any = runs.Where(r => r.Method == method && r.Scenario == BenchmarkRun.AnyScenario).ToList();
                    if (own.Count > 0)
                    {
                        cells[(scenario, method)] = new MethodCell(method, own, fromAnyScenario: false);
                    }
                    else if (any.Count > 0)
                    {
                        cells[(scenario, method)] = new MethodCell(method, any, fromAnyScenario: true);
                    }
                }
            }

            groups.Add(new ResultGroup(byGroup.Key.Source, byGroup.Key.Rate, scenarios, methods, cells));
        }

        return groups;
    }
}

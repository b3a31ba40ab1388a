using ScottPlot;
using VmTeleport.Reporting.Summary;

namespace VmTeleport.Reporting.Charts;

/// <summary>
/// Colours that mean the same thing in every chart: a known method keeps its colour across
/// sources, rates and charts, and so does a known phase. Unknown ones take the next colours in
/// the order they are shown.
/// </summary>
internal static class ChartPalette
{
    private static readonly IPalette Methods = new ScottPlot.Palettes.Category10();
    private static readonly IPalette Phases = new ScottPlot.Palettes.Category20();

    public static Color Method(string method, IReadOnlyList<string> shown) =>
        Methods.GetColor(MethodOrder.IndexOf(method) ?? MethodOrder.Known.Count + Position(shown, method));

    public static Color Phase(string phase, IReadOnlyList<string> shown) =>
        Phases.GetColor(PhaseOrder.IndexOf(phase) ?? PhaseOrder.Known.Count + Position(shown, phase));

    private static int Position(IReadOnlyList<string> list, string item)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] == item)
            {
                return i;
            }
        }

        return 0;
    }
}

namespace VmTeleport.Reporting.Tests;

public sealed class ArchitectureTests
{
    [Fact]
    public void Reporting_references_no_other_VmTeleport_project()
    {
        var references = typeof(BenchmarkReport).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("ScottPlot", references);
        Assert.DoesNotContain(references, r => r.StartsWith("VmTeleport.", StringComparison.Ordinal) || r == "vmteleport");
    }
}

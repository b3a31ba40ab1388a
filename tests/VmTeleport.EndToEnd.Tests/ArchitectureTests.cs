using System.Reflection;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>Holds the data-flow arrows in place: a stage may reference only the stages before it.</summary>
public sealed class ArchitectureTests
{
    // The pipeline order (docs/architecture.md); stages not written yet are simply absent.
    private static readonly string[] Stages =
    [
        "VmTeleport.Disks",
        "VmTeleport.FileSystems",
        "VmTeleport.Guests",
        "VmTeleport.Content",
        "VmTeleport.Transfer",
        "VmTeleport.Rebuild",
        "vmteleport",
    ];

    // Off the data flow: reads benchmark results; references no VmTeleport project, and only the CLI uses it.
    private static readonly string[] SideProjects = ["VmTeleport.Reporting"];

    [Fact]
    public void Every_stage_references_only_earlier_stages()
    {
        var dir = AppContext.BaseDirectory;
        var found = 0;
        for (int i = 0; i < Stages.Length; i++)
        {
            var path = Path.Combine(dir, Stages[i] + ".dll");
            if (!File.Exists(path))
            {
                continue;
            }

            found++;
            var references = Assembly.LoadFrom(path).GetReferencedAssemblies().Select(a => a.Name!).ToList();
            foreach (var later in Stages.Skip(i + 1))
            {
                Assert.DoesNotContain(later, references);
            }

            foreach (var reference in references.Where(r => r.StartsWith("VmTeleport.", StringComparison.Ordinal)))
            {
                Assert.True(
                    (Array.IndexOf(Stages, reference) is int at && at >= 0 && at < i) || (Stages[i] == "vmteleport" && SideProjects.Contains(reference)),
                    $"{Stages[i]} references {reference}, which is not an earlier stage");
            }
        }

        Assert.True(found >= 3, $"expected the Disks, FileSystems and CLI assemblies beside the tests in {dir}");
    }

    [Fact]
    public void Side_projects_reference_no_VmTeleport_project()
    {
        foreach (var side in SideProjects)
        {
            var path = Path.Combine(AppContext.BaseDirectory, side + ".dll");
            Assert.True(File.Exists(path), $"expected {side}.dll beside the tests (the CLI references it)");
            var references = Assembly.LoadFrom(path).GetReferencedAssemblies().Select(a => a.Name!);
            Assert.DoesNotContain(references, r => r.StartsWith("VmTeleport.", StringComparison.Ordinal) || r == "vmteleport");
        }
    }
}

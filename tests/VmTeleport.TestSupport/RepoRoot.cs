namespace VmTeleport.TestSupport;

/// <summary>Finds the repository's root (the folder holding VmTeleport.slnx) from the test binaries.</summary>
public static class RepoRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "VmTeleport.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no VmTeleport.slnx above {AppContext.BaseDirectory}");
    }
}

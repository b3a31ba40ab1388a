using VmTeleport.TestSupport;

namespace VmTeleport.Content.Tests.Support;

/// <summary>Runs an external tool and fails the test with its stderr when it fails.</summary>
internal static class Tool
{
    public static string Run(string file, params string[] args)
    {
        var r = ExternalCommand.Run(file, args, TimeSpan.FromMinutes(2));
        Assert.True(r.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {r.ExitCode}: {r.StdErr}");
        return r.StdOut;
    }
}

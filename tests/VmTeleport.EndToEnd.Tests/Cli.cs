using System.Diagnostics;
using System.Text;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>Runs the real `vmteleport` executable (built beside the tests) as a user would.</summary>
public static class Cli
{
    public sealed record Result(int ExitCode, byte[] StdOut, string StdErr)
    {
        public string Text => Encoding.UTF8.GetString(StdOut);

        public IReadOnlyList<string> Lines => Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static Result Run(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vmteleport.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        using var stdout = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(stdout);
        if (!p.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            p.Kill(true);
            throw new TimeoutException($"vmteleport {string.Join(' ', args)} hung");
        }

        return new Result(p.ExitCode, stdout.ToArray(), stderr.Result);
    }

    /// <summary>Runs and asserts success, showing stderr when it fails.</summary>
    public static Result Ok(params string[] args)
    {
        var r = Run(args);
        Assert.True(r.ExitCode == 0, $"vmteleport {string.Join(' ', args)} exited {r.ExitCode}: {r.StdErr}");
        return r;
    }
}

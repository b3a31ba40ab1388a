using System.Diagnostics;

namespace VmTeleport.Rebuild;

/// <summary>Runs mkfs.ext4, debugfs and qemu-img; a failure throws with the tool's own words.</summary>
internal static class ExternalTool
{
    public static string Run(string tool, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        using var p = Process.Start(psi) ?? throw new IOException($"cannot start {tool}");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new IOException($"{tool} {string.Join(' ', psi.ArgumentList)} failed with exit code {p.ExitCode}: {stderr.Result.Trim()} {stdout.Trim()}".Trim());
        }

        return stdout + stderr.Result;
    }
}

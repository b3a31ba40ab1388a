using System.Diagnostics;

namespace VmTeleport.TestSupport;

/// <summary>Runs the external tools that serve as oracles and fixture builders (qemu-img, mount, python3).</summary>
public static class ExternalCommand
{
    /// <summary>Runs a command and returns its output, whatever its exit code.</summary>
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', info.ArgumentList)} did not finish in time");
        }

        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs a command and returns its standard output; a non-zero exit fails with its stderr.</summary>
    public static string Check(string fileName, params string[] arguments)
    {
        var r = Run(fileName, arguments);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited {r.ExitCode}: {r.StdErr.Trim()}");
        }

        return r.StdOut;
    }
}

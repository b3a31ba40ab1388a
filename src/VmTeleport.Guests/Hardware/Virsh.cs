using System.Diagnostics;

namespace VmTeleport.Guests.Hardware;

/// <summary>
/// Runs virsh read-only against one URI under a shared time budget, so a daemon that never
/// answers (or an authentication prompt) cannot hang the caller.
/// </summary>
internal sealed class Virsh
{
    private readonly string _path;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _budget;

    public Virsh(string path, string uri, TimeSpan budget)
    {
        _path = path;
        Uri = uri;
        _budget = budget;
    }

    public string Uri { get; }

    /// <summary>Finds virsh: the given path if it exists, else "virsh" on PATH; null when absent.</summary>
    public static string? Find(string? path)
    {
        if (path is not null)
        {
            return File.Exists(path) ? path : null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "virsh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The command line a user would type, for messages and <see cref="DomainHardware.ReadFrom"/>.</summary>
    public string Describe(params string[] arguments) => $"virsh -c {Uri} {string.Join(' ', arguments)}";

    public VirshResult Run(params string[] arguments)
    {
        var remaining = _budget - _clock.Elapsed;
        if (remaining <= TimeSpan.Zero)
        {
            return new VirshResult(-1, "", "", TimedOut: true);
        }

        var info = new ProcessStartInfo(_path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--readonly");
        info.ArgumentList.Add("--connect");
        info.ArgumentList.Add(Uri);
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        // English messages: VirshResult recognises "failed to connect" and "failed to get domain".
        info.Environment["LC_ALL"] = "C";
        info.Environment["LANGUAGE"] = "C";

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new IOException($"could not start {_path}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IOException($"could not start {_path}: {e.Message}", e);
        }

        using var started = process;
        process.StandardInput.Close(); // a password prompt reads end-of-file instead of waiting
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(remaining))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new VirshResult(-1, "", "", TimedOut: true);
        }

        // A grandchild (ssh for a remote URI) may keep the pipes open after virsh exits.
        var left = _budget - _clock.Elapsed;
        if (!Task.WaitAll([stdout, stderr], left > TimeSpan.Zero ? left : TimeSpan.Zero))
        {
            return new VirshResult(-1, "", "", TimedOut: true);
        }

        return new VirshResult(process.ExitCode, stdout.Result, stderr.Result, TimedOut: false);
    }
}

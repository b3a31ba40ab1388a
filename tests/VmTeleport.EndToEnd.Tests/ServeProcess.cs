using System.Diagnostics;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>`vmteleport serve` running as a process on 127.0.0.1:0, with the fingerprint and address it printed.</summary>
public sealed class ServeProcess : IDisposable
{
    private ServeProcess(Process process, string fingerprint, string address)
    {
        Process = process;
        Fingerprint = fingerprint;
        Address = address;
    }

    public Process Process { get; }

    public string Fingerprint { get; }

    /// <summary>https://127.0.0.1:PORT</summary>
    public string Address { get; }

    /// <summary>Starts serve with <paramref name="arguments"/> (its --image, --domain-xml …) plus the listen address, token file and data directory.</summary>
    public static ServeProcess Start(string token, string dataDir, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "vmteleport.dll"), "serve" }
            .Concat(arguments).Concat(["--listen", "127.0.0.1:0", "--token-file", token, "--data-dir", dataDir]))
        {
            info.ArgumentList.Add(a);
        }

        var p = Process.Start(info)!;
        string? fingerprint = null, address = null;
        var deadline = Stopwatch.StartNew();
        while ((fingerprint is null || address is null) && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            var line = p.StandardOutput.ReadLine();
            if (line is null)
            {
                break;
            }

            if (line.StartsWith("fingerprint: ", StringComparison.Ordinal))
            {
                fingerprint = line["fingerprint: ".Length..];
            }
            else if (line.StartsWith("listening: ", StringComparison.Ordinal))
            {
                address = line["listening: ".Length..];
            }
        }

        if (fingerprint is null || address is null)
        {
            p.Kill();
            throw new InvalidOperationException($"serve did not print its fingerprint and address: {p.StandardError.ReadToEnd()}");
        }

        Assert.Matches("^SHA256:[A-Za-z0-9+/]{43}$", fingerprint);
        Assert.Matches("^https://127\\.0\\.0\\.1:[0-9]+$", address);
        return new ServeProcess(p, fingerprint, address);
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill();
        }

        Process.WaitForExit();
        Process.Dispose();
    }
}

using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using VmTeleport.Transfer.Agent;

namespace VmTeleport.Cli.Commands;

/// <summary>
/// `vmteleport serve --image [NAME=]IMAGE[@SNAP]… [--domain-xml [NAME=]FILE]… --listen ADDR:PORT
/// --token-file FILE [--data-dir DIR]`: the source agent (docs/protocol.md). Prints its
/// certificate's fingerprint and address, then serves until SIGINT or SIGTERM.
/// </summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var images = new Option<string[]>("--image")
        {
            Description = "A VM to serve as [NAME=]IMAGE[@SNAP] (repeatable); NAME defaults to the image file's name without extension. Opened read-only.",
            HelpName = "[NAME=]IMAGE",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var domainXml = new Option<string[]>("--domain-xml")
        {
            Description = "libvirt domain XML of a VM as [NAME=]FILE (repeatable; NAME may be left out when one image is served): its hardware goes into the description.",
            HelpName = "[NAME=]FILE",
        };
        var listen = new Option<string>("--listen") { Description = "IP address and port to listen on, e.g. 0.0.0.0:8443 or [::]:8443.", HelpName = "ADDR:PORT", Required = true };
        var tokenFile = new Option<string>("--token-file") { Description = "File holding the bearer token clients must send (mode 0600).", HelpName = "FILE", Required = true };
        var dataDir = new Option<string?>("--data-dir") { Description = "Where the agent's certificate (agent.pfx) is kept.", HelpName = "DIR" };
        var threads = new Option<int>("--threads")
        {
            Description = "Files read at the same time when walking an image (default: one per CPU, at least 2).",
            DefaultValueFactory = _ => Math.Max(2, Environment.ProcessorCount),
        };
        var command = new Command("serve", "Serve VMs' descriptions, manifests and chunks to `fetch`/`pull` over HTTP/2 + TLS with a pinned certificate and a bearer token.")
        {
            images, domainXml, listen, tokenFile, dataDir, threads,
        };
        command.SetAction(r => CommandRunner.Run(() => Run(
            r.GetValue(images) ?? [], r.GetValue(domainXml) ?? [], r.GetValue(listen)!, r.GetValue(tokenFile)!, r.GetValue(dataDir), r.GetValue(threads))));
        return command;
    }

    private static int Run(string[] imageSpecs, string[] domainXmls, string listen, string tokenFile, string? dataDir, int threads)
    {
        if (!IPEndPoint.TryParse(listen, out var endpoint) || !listen.Contains(':', StringComparison.Ordinal))
        {
            throw new UsageException($"--listen \"{listen}\" is not ADDR:PORT with an IP address (e.g. 127.0.0.1:8443)");
        }

        if (threads < 1)
        {
            throw new UsageException("--threads must be at least 1");
        }

        var token = BearerToken.FromFile(tokenFile);
        var served = imageSpecs.Select(s => ServedImage.Parse(s)).ToList();
        foreach (var xml in domainXmls)
        {
            int eq = xml.IndexOf('=', StringComparison.Ordinal);
            var (name, file) = eq > 0 && ServedImage.IsName(xml[..eq]) ? (xml[..eq], xml[(eq + 1)..])
                : served.Count == 1 ? (served[0].Name, xml)
                : throw new UsageException($"--domain-xml {xml}: with several images, name the VM as NAME=FILE");
            int at = served.FindIndex(s => s.Name == name);
            if (at < 0)
            {
                throw new UsageException($"--domain-xml {xml}: no --image is named \"{name}\"");
            }

            served[at] = served[at] with { DomainXml = file };
        }

        var certificate = AgentCertificate.LoadOrCreate(DataDirectory.Resolve(dataDir));
        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        var agent = SourceAgent.StartAsync(new AgentOptions
        {
            Images = served,
            Listen = endpoint,
            Token = token,
            Certificate = certificate,
            Threads = threads,
        }).GetAwaiter().GetResult();
        try
        {
            Console.Out.WriteLine($"fingerprint: {agent.Fingerprint}");
            Console.Out.WriteLine($"listening: {agent.Address.GetLeftPart(UriPartial.Authority)}");
            foreach (var s in served)
            {
                Console.Out.WriteLine($"serving: {s.Name} = {s.ImageSpec}");
            }

            Console.Out.Flush();

            // Each VM is described now, in the background, rather than on the first request;
            // `ready:` says when a pull will find it done. A failure is said, and retried on request.
            var preparing = served.Select(s => Task.Run(async () =>
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                try
                {
                    await agent.PrepareAsync(s.Name, stop.Token).ConfigureAwait(false);
                    Console.Out.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"ready: {s.Name} (described in {clock.Elapsed.TotalSeconds:F1} s)"));
                    Console.Out.Flush();
                }
                catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or OperationCanceledException)
                {
                    Console.Error.WriteLine($"vmteleport: {s.Name}: {e.Message}");
                }
            })).ToArray();
            stop.Token.WaitHandle.WaitOne();
            Task.WaitAll(preparing);
        }
        finally
        {
            agent.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return ExitCodes.Success;
    }
}

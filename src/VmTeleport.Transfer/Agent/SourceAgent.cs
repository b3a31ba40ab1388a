using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using VmTeleport.Transfer.Protocol;

namespace VmTeleport.Transfer.Agent;

/// <summary>
/// The source agent: serves VMs' descriptions, content manifests and chunks over HTTP/2 with TLS
/// (Kestrel), to clients that pin its certificate and present the bearer token
/// (docs/protocol.md). Reads images only.
/// </summary>
public sealed partial class SourceAgent : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, ServedVm> _vms;
    private readonly AgentOptions _options;

    private SourceAgent(WebApplication app, Dictionary<string, ServedVm> vms, AgentOptions options, Uri address)
    {
        _app = app;
        _vms = vms;
        _options = options;
        Address = address;
        Fingerprint = CertificateFingerprint.Of(options.Certificate);
    }

    /// <summary>https://ADDR:PORT/ with the port actually bound.</summary>
    public Uri Address { get; }

    public CertificateFingerprint Fingerprint { get; }

    public static async Task<SourceAgent> StartAsync(AgentOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Images.Count == 0)
        {
            throw new ArgumentException("an agent serves at least one image", nameof(options));
        }

        var vms = new Dictionary<string, ServedVm>(StringComparer.Ordinal);
        try
        {
            foreach (var image in options.Images)
            {
                if (vms.ContainsKey(image.Name))
                {
                    throw new ArgumentException($"two images are served under the name \"{image.Name}\"; name them with NAME=IMAGE");
                }

                vms[image.Name] = new ServedVm(image, options.Threads);
            }

            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
            {
                k.AddServerHeader = false;
                k.Limits.MaxRequestBodySize = ProtocolHeaders.MaxIdsPerBatch * 32L;
                k.Listen(options.Listen, listen =>
                {
                    listen.Protocols = HttpProtocols.Http2;
                    listen.UseHttps(options.Certificate);
                });
            });
            var app = builder.Build();
            SourceAgent? agent = null;
            app.Run(context => agent!.HandleAsync(context));
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var port = new Uri(bound).Port;
            var host = options.Listen.Address.Equals(IPAddress.Any) ? "127.0.0.1"
                : options.Listen.Address.Equals(IPAddress.IPv6Any) ? "[::1]"
                : options.Listen.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{options.Listen.Address}]"
                : options.Listen.Address.ToString();
            agent = new SourceAgent(app, vms, options, new Uri($"https://{host}:{port}/"));
            return agent;
        }
        catch
        {
            foreach (var vm in vms.Values)
            {
                vm.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Describes a served VM ahead of any request (its manifest, description and layout, the
    /// source's share of a teleport), so that the first client does not wait for it.
    /// </summary>
    public async Task PrepareAsync(string vm, CancellationToken cancellationToken = default)
    {
        var served = _vms.TryGetValue(vm, out var found) ? found : throw new KeyNotFoundException($"the agent serves no VM named {vm}");
        await served.DescriptionAsync(cancellationToken).ConfigureAwait(false);
        await served.LayoutAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken = default) =>
        await _app.StopAsync(cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        foreach (var vm in _vms.Values)
        {
            vm.Dispose();
        }
    }
}

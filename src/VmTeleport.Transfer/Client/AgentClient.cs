using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using VmTeleport.Content.Images;
using VmTeleport.Transfer.Protocol;
using ZstdSharp;

namespace VmTeleport.Transfer.Client;

/// <summary>
/// Talks to a source agent (docs/protocol.md): TLS with the agent's certificate pinned by its
/// SHA-256 (any other certificate is refused during the handshake, before the token is sent,
/// whatever CA signed it), the bearer token on every request, HTTP/2 only.
/// </summary>
public sealed partial class AgentClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly WireCounters _wire = new();
    private readonly CertificateFingerprint _pinned;
    private readonly AgentClientOptions _options;
    private string? _presented;

    public AgentClient(Uri agent, string token, CertificateFingerprint fingerprint, AgentClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        ArgumentNullException.ThrowIfNull(fingerprint);
        if (agent.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"agent address {agent} is not https://HOST:PORT", nameof(agent));
        }

        Agent = new Uri(agent.GetLeftPart(UriPartial.Authority) + "/");
        _pinned = fingerprint;
        _options = options ?? new AgentClientOptions();
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = ConnectAsync,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = CheckCertificate },
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        _http = new HttpClient(handler)
        {
            BaseAddress = Agent,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = _options.Timeout,
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
    }

    /// <summary>https://HOST:PORT/</summary>
    public Uri Agent { get; }

    /// <summary>Bytes read from the agent's sockets: TLS records with everything in them.</summary>
    public long WireBytesReceived => _wire.ReceivedBytes;

    public long WireBytesSent => _wire.SentBytes;

    public async Task<IReadOnlyList<VmListing>> ListAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "v1/vms"), cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize<List<VmListing>>(bytes)
            ?? throw new InvalidDataException($"{Agent}v1/vms: the VM list is null");
    }

    /// <summary>The VM's description document (docs/description-format.md) as JSON text.</summary>
    public async Task<string> DescriptionAsync(string vm, CancellationToken cancellationToken = default) =>
        (await DescribeAsync(vm, cancellationToken).ConfigureAwait(false)).Json;

    public async Task<RemoteManifest> ManifestAsync(string vm, CancellationToken cancellationToken = default)
    {
        var where = $"manifest of {Agent}{Name(vm)}";
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"v1/vms/{Name(vm)}/manifest"), cancellationToken).ConfigureAwait(false);
        var state = response.Headers.TryGetValues(ProtocolHeaders.ImageState, out var v) ? v.First() : "";
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var jsonl = await UnzstdAsync(body, where, cancellationToken).ConfigureAwait(false);

        var items = new List<ContentItem>();
        var span = jsonl.AsSpan();
        int line = 0;
        while (span.Length > 0)
        {
            line++;
            int nl = span.IndexOf((byte)'\n');
            var text = nl < 0 ? span : span[..nl];
            items.Add(ManifestLines.Parse(text, $"{where}, line {line}"));
            span = nl < 0 ? [] : span[(nl + 1)..];
        }

        return new RemoteManifest(vm, state, items, body.Length);
    }

    /// <summary>
    /// The disk layout of the image state <paramref name="manifest"/> describes, joined with its
    /// items; <see cref="AgentStateException"/> when the image changed since the manifest.
    /// </summary>
    public async Task<Content.Layout.DiskLayout> LayoutAsync(RemoteManifest manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var where = $"layout of {Agent}{Name(manifest.Vm)}";
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"v1/vms/{Name(manifest.Vm)}/layout"), cancellationToken).ConfigureAwait(false);
        var state = response.Headers.TryGetValues(ProtocolHeaders.ImageState, out var v) ? v.First() : "";
        if (state != manifest.ImageState)
        {
            throw new AgentStateException($"{where}: the image changed since its manifest was fetched (state {manifest.ImageState} → {state})");
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return LayoutLines.Parse(await UnzstdAsync(body, where, cancellationToken).ConfigureAwait(false), manifest.Items, where);
    }

    private static async Task<byte[]> UnzstdAsync(byte[] body, string where, CancellationToken cancellationToken)
    {
        try
        {
            using var input = new DecompressionStream(new MemoryStream(body));
            using var output = new MemoryStream();
            await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            return output.ToArray();
        }
        catch (ZstdException e)
        {
            throw new InvalidDataException($"{where}: body is not zstd ({e.Message})", e);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        // A request made by hand does not take the client's defaults: HTTP/2 and nothing else.
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException && _presented is { } presented)
        {
            throw new UnauthorizedAccessException(
                $"agent {Agent} presented a certificate with fingerprint {presented}, not the pinned {_pinned}: refused before sending anything", e);
        }
        catch (HttpRequestException e)
        {
            throw new IOException($"cannot reach agent {Agent}: {e.Message}", e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var text = (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
            var where = $"{request.Method} {Agent}{request.RequestUri?.OriginalString}";
            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => new UnauthorizedAccessException($"agent {Agent} refused the token (401)"),
                HttpStatusCode.NotFound => new KeyNotFoundException($"{where}: not found ({text})"),
                HttpStatusCode.Conflict => new AgentStateException($"{where}: {text}"),
                HttpStatusCode.UnprocessableEntity => new NotSupportedException($"{where}: {text}"),
                _ => new IOException($"{where}: agent answered {(int)response.StatusCode} ({text})"),
            };
        }
    }

    private static string Name(string vm) =>
        VmTeleport.Transfer.Agent.ServedImage.IsName(vm) ? vm : throw new ArgumentException($"\"{vm}\" is not a VM name", nameof(vm));

    private bool CheckCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            _presented = "(none)";
            return false;
        }

        if (_pinned.Matches(certificate))
        {
            return true;
        }

        _presented = "SHA256:" + Convert.ToBase64String(SHA256.HashData(certificate.GetRawCertData())).TrimEnd('=');
        return false;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new CountingStream(new NetworkStream(socket, ownsSocket: true), _wire);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _http.Dispose();
}

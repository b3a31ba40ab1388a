using System.Diagnostics;
using System.Globalization;
using VmTeleport.Transfer.Protocol;
using ZstdSharp;

namespace VmTeleport.Transfer.Client;

/// <summary>The plain copy (the image file as it is, docs/protocol.md) and the link probe.</summary>
public sealed partial class AgentClient
{
    /// <summary>The description document and, from its response's headers, what a plain copy of the image would carry.</summary>
    public async Task<(string Json, PlainCopyOffer? PlainCopy)> DescribeAsync(string vm, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"v1/vms/{Name(vm)}/description"), cancellationToken).ConfigureAwait(false);
        var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? Header(string name) => response.Headers.TryGetValues(name, out var v) ? v.First() : null;
        PlainCopyOffer? offer = null;
        if (long.TryParse(Header(ProtocolHeaders.ImageBytes), NumberStyles.None, CultureInfo.InvariantCulture, out long fileBytes)
            && long.TryParse(Header(ProtocolHeaders.ImageZstdBytes), NumberStyles.None, CultureInfo.InvariantCulture, out long zstdBytes))
        {
            offer = new PlainCopyOffer(fileBytes, zstdBytes, Header(ProtocolHeaders.ImageFormat) ?? "raw", Header(ProtocolHeaders.PlainCopyRefused));
        }

        return (json, offer);
    }

    /// <summary>
    /// Measures the link: reads GET /v1/probe?bytes=<paramref name="maxBytes"/> until it ends or
    /// <paramref name="maxTime"/> has passed, and rates only what came after the first
    /// <paramref name="ignoredBytes"/> (TCP's slow start, TLS and HTTP/2 set-up).
    /// </summary>
    public async Task<LinkProbe> ProbeAsync(long maxBytes, TimeSpan maxTime, long ignoredBytes, CancellationToken cancellationToken = default)
    {
        // Not capped here: the agent refuses more than ProtocolHeaders.MaxProbeBytes (400).
        maxBytes = Math.Max(maxBytes, ignoredBytes + 1);
        var request = new HttpRequestMessage(HttpMethod.Get, $"v1/probe?bytes={maxBytes.ToString(CultureInfo.InvariantCulture)}");
        var clock = Stopwatch.StartNew();
        using var response = await SendAsync(request, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[64 << 10];
        long read = 0;
        double startSeconds = 0;
        while (read < maxBytes && (read < ignoredBytes || clock.Elapsed < maxTime))
        {
            int n = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            if (read < ignoredBytes && read + n >= ignoredBytes)
            {
                startSeconds = clock.Elapsed.TotalSeconds;
            }

            read += n;
        }

        double seconds = clock.Elapsed.TotalSeconds;
        long rated = read - ignoredBytes;
        double rate = rated > 0 && seconds > startSeconds ? rated / (seconds - startSeconds) : read / Math.Max(seconds, 1e-6);
        return new LinkProbe(read, seconds, rate);
    }

    /// <summary>
    /// Copies the image file of <paramref name="manifest"/>'s VM from byte <paramref name="offset"/>
    /// to its end into <paramref name="destination"/>, asking for zstd level <paramref name="level"/>
    /// (0: uncompressed). The request names the manifest's image state, so a changed image is a
    /// 409 (<see cref="AgentStateException"/>); a response cut short is an <see cref="IOException"/>
    /// after what arrived was written, so a later call resumes from there.
    /// </summary>
    public async Task<long> CopyImageAsync(RemoteManifest manifest, long offset, int level, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(destination);
        var where = $"image of {Agent}{Name(manifest.Vm)}";
        var request = new HttpRequestMessage(HttpMethod.Get,
            string.Create(CultureInfo.InvariantCulture, $"v1/vms/{Name(manifest.Vm)}/image?offset={offset}&level={level}"));
        if (manifest.ImageState.Length > 0)
        {
            request.Headers.Add(ProtocolHeaders.ImageState, manifest.ImageState);
        }

        using var response = await SendAsync(request, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        string Header(string name) => response.Headers.TryGetValues(name, out var v) ? v.First() : "";
        if (!long.TryParse(Header(ProtocolHeaders.ImageBytes), NumberStyles.None, CultureInfo.InvariantCulture, out long length) || length < offset)
        {
            throw new InvalidDataException($"{where}: response has no valid {ProtocolHeaders.ImageBytes} header (\"{Header(ProtocolHeaders.ImageBytes)}\")");
        }

        var codec = Header(ProtocolHeaders.Codec);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var decoded = codec switch
        {
            "zstd" => new DecompressionStream(body, leaveOpen: true),
            "none" => body,
            _ => throw new InvalidDataException($"{where}: response codec \"{codec}\" is not zstd or none"),
        };
        var buffer = new byte[1 << 20];
        long written = 0, want = length - offset;
        try
        {
            while (true)
            {
                int n = await decoded.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                if (written + n > want)
                {
                    throw new InvalidDataException($"{where}: the agent sent more than the file's {length} bytes");
                }

                await destination.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                written += n;
            }
        }
        catch (Exception e) when (e is ZstdException or HttpRequestException or HttpIOException)
        {
            throw new IOException($"{where}: the stream broke after {offset + written} of {length} bytes: {e.Message}", e);
        }

        if (written != want)
        {
            throw new IOException($"{where}: the stream ended after {offset + written} of {length} bytes");
        }

        return written;
    }
}

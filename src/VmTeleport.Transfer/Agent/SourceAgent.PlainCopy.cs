using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using VmTeleport.Transfer.Protocol;
using ZstdSharp;

namespace VmTeleport.Transfer.Agent;

/// <summary>
/// The plain-copy endpoints (docs/protocol.md): the image file as it is on disk, zstd-compressed
/// on the fly and resumable, and a probe of incompressible bytes to measure the link with.
/// </summary>
public sealed partial class SourceAgent
{
    /// <summary>The file is read and sent in pieces of this size; its state is checked again every <see cref="StateCheckBytes"/>.</summary>
    private const int ReadBytes = 1 << 20;

    private const long StateCheckBytes = 64L << 20;

    private static readonly byte[] ProbeBlock = RandomNumberGenerator.GetBytes(1 << 20);

    private static void OfferHeaders(HttpResponse response, PlainCopyOffer offer)
    {
        response.Headers[ProtocolHeaders.ImageBytes] = offer.FileBytes.ToString(CultureInfo.InvariantCulture);
        response.Headers[ProtocolHeaders.ImageZstdBytes] = offer.EstimatedZstdBytes.ToString(CultureInfo.InvariantCulture);
        response.Headers[ProtocolHeaders.ImageFormat] = offer.Format;
        if (offer.Refusal is { } refusal)
        {
            response.Headers[ProtocolHeaders.PlainCopyRefused] = PlainCopySource.HeaderText(refusal);
        }
    }

    /// <summary>GET /v1/vms/NAME/image[?offset=N][&amp;level=L]: the file from byte N, zstd level L (default 1; 0 = uncompressed).</summary>
    private async Task ImageAsync(HttpContext context, ServedVm vm)
    {
        var request = context.Request;
        var response = context.Response;
        var ct = context.RequestAborted;
        if (PlainCopySource.Refusal(vm.Image.Name, vm.Path, vm.Snapshot) is { } refusal)
        {
            await ErrorAsync(response, StatusCodes.Status422UnprocessableEntity, refusal, ct).ConfigureAwait(false);
            return;
        }

        if (!TryQuery(request, "offset", 0, long.MaxValue, 0, out long offset) || !TryQuery(request, "level", 0, ProtocolHeaders.MaxImageLevel, 1, out long level))
        {
            await ErrorAsync(response, StatusCodes.Status400BadRequest,
                $"offset must be a byte offset of the file and level 0 to {ProtocolHeaders.MaxImageLevel}: {request.QueryString}", ct).ConfigureAwait(false);
            return;
        }

        var key = vm.CurrentKey();
        var expected = request.Headers[ProtocolHeaders.ImageState].ToString();
        if (expected.Length > 0 && expected != key)
        {
            await ErrorAsync(response, StatusCodes.Status409Conflict,
                $"image of VM {vm.Image.Name} changed since the manifest was fetched (state {expected}, now {key}): fetch the manifest again", ct).ConfigureAwait(false);
            return;
        }

        using var file = File.OpenHandle(vm.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.SequentialScan);
        long length = RandomAccess.GetLength(file);
        if (offset > length)
        {
            await ErrorAsync(response, StatusCodes.Status400BadRequest, $"offset {offset} is past the end of {vm.Image.Name}'s image ({length} bytes)", ct).ConfigureAwait(false);
            return;
        }

        response.ContentType = ProtocolHeaders.ImageType;
        response.Headers[ProtocolHeaders.ImageState] = key;
        response.Headers[ProtocolHeaders.ImageBytes] = length.ToString(CultureInfo.InvariantCulture);
        response.Headers[ProtocolHeaders.ImageFormat] = vm.Listing.Format;
        response.Headers[ProtocolHeaders.Codec] = level == 0 ? "none" : "zstd";
        await response.StartAsync(ct).ConfigureAwait(false);

        var output = level == 0 ? response.Body : new CompressionStream(response.Body, (int)level, ReadBytes, leaveOpen: true);
        var buffer = new byte[ReadBytes];
        try
        {
            long at = offset, checkedAt = offset;
            while (at < length)
            {
                int n = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - at)), at);
                if (n <= 0 || (at + n - checkedAt >= StateCheckBytes || at + n == length) && vm.CurrentKey() != key)
                {
                    // The file changed under the copy: cut the response short (no end of the zstd
                    // stream, a reset HTTP/2 stream) so the client never takes it for whole; its
                    // next request names the old state and gets 409.
                    context.Abort();
                    return;
                }

                if (at + n - checkedAt >= StateCheckBytes)
                {
                    checkedAt = at + n;
                }

                await output.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                at += n;
            }
        }
        finally
        {
            if (level != 0 && !ct.IsCancellationRequested)
            {
                await output.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>GET /v1/probe?bytes=N: N incompressible bytes (a random MiB repeated), N at most 64 MiB.</summary>
    private static async Task ProbeAsync(HttpContext context)
    {
        var response = context.Response;
        var ct = context.RequestAborted;
        if (!TryQuery(context.Request, "bytes", 0, ProtocolHeaders.MaxProbeBytes, 16L << 20, out long bytes))
        {
            await ErrorAsync(response, StatusCodes.Status400BadRequest, $"a probe is 0 to {ProtocolHeaders.MaxProbeBytes} bytes: {context.Request.QueryString}", ct).ConfigureAwait(false);
            return;
        }

        response.ContentType = ProtocolHeaders.ProbeType;
        response.ContentLength = bytes;
        response.Headers.CacheControl = "no-store";
        for (long sent = 0; sent < bytes;)
        {
            int n = (int)Math.Min(ProbeBlock.Length, bytes - sent);
            await response.Body.WriteAsync(ProbeBlock.AsMemory(0, n), ct).ConfigureAwait(false);
            sent += n;
        }
    }

    private static bool TryQuery(HttpRequest request, string name, long min, long max, long absent, out long value)
    {
        value = absent;
        var text = request.Query[name].ToString();
        return text.Length == 0
            || (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max);
    }
}

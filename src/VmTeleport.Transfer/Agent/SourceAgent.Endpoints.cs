using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using VmTeleport.Content.Chunking;
using VmTeleport.Transfer.Protocol;

namespace VmTeleport.Transfer.Agent;

/// <summary>The endpoints (docs/protocol.md): one dispatcher, no routing framework.</summary>
public sealed partial class SourceAgent
{
    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Path.Value ?? "";
        _options.Hooks?.RequestReceived?.Invoke(path);
        if (!_options.Token.Matches(request.Headers.Authorization))
        {
            response.StatusCode = StatusCodes.Status401Unauthorized;
            response.Headers.WWWAuthenticate = "Bearer";
            return;
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var ct = context.RequestAborted;
        try
        {
            switch (parts)
            {
                case ["v1", "vms"] when HttpMethods.IsGet(request.Method):
                    response.ContentType = "application/json";
                    await response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(_vms.Values.Select(v => v.Listing).ToList()), ct).ConfigureAwait(false);
                    return;
                case ["v1", "vms", var name, "description"] when HttpMethods.IsGet(request.Method) && _vms.TryGetValue(name, out var vm):
                    var described = await vm.DescriptionAsync(ct).ConfigureAwait(false);
                    response.ContentType = "application/json";
                    OfferHeaders(response, described.PlainCopy!);
                    await response.Body.WriteAsync(Encoding.UTF8.GetBytes(described.Description!), ct).ConfigureAwait(false);
                    return;
                case ["v1", "vms", var name, "image"] when HttpMethods.IsGet(request.Method) && _vms.TryGetValue(name, out var vm):
                    await ImageAsync(context, vm).ConfigureAwait(false);
                    return;
                case ["v1", "probe"] when HttpMethods.IsGet(request.Method):
                    await ProbeAsync(context).ConfigureAwait(false);
                    return;
                case ["v1", "vms", var name, "manifest"] when HttpMethods.IsGet(request.Method) && _vms.TryGetValue(name, out var vm):
                    var state = await vm.StateAsync(ct).ConfigureAwait(false);
                    response.ContentType = ProtocolHeaders.ManifestType;
                    response.Headers[ProtocolHeaders.ImageState] = state.Key;
                    response.ContentLength = state.Manifest.Length;
                    await response.Body.WriteAsync(state.Manifest, ct).ConfigureAwait(false);
                    return;
                case ["v1", "vms", var name, "layout"] when HttpMethods.IsGet(request.Method) && _vms.TryGetValue(name, out var vm):
                    var laidOut = await vm.LayoutAsync(ct).ConfigureAwait(false);
                    response.ContentType = ProtocolHeaders.LayoutType;
                    response.Headers[ProtocolHeaders.ImageState] = laidOut.Key;
                    response.ContentLength = laidOut.Layout!.Length;
                    await response.Body.WriteAsync(laidOut.Layout, ct).ConfigureAwait(false);
                    return;
                case ["v1", "vms", var name, "chunks"] when HttpMethods.IsPost(request.Method) && _vms.TryGetValue(name, out var vm):
                    await ChunksAsync(context, vm).ConfigureAwait(false);
                    return;
                default:
                    await ErrorAsync(response, StatusCodes.Status404NotFound, $"no such resource: {request.Method} {path}", ct).ConfigureAwait(false);
                    return;
            }
        }
        catch (Exception e) when (!response.HasStarted && e is IOException or InvalidDataException or NotSupportedException or UnauthorizedAccessException)
        {
            await ErrorAsync(response, StatusCodes.Status500InternalServerError, e.Message, ct).ConfigureAwait(false);
        }
    }

    private async Task ChunksAsync(HttpContext context, ServedVm vm)
    {
        var request = context.Request;
        var response = context.Response;
        var ct = context.RequestAborted;
        var codecName = request.Headers[ProtocolHeaders.Codec].ToString();
        var codec = ChunkCodec.Zstd;
        if (codecName.Length > 0 && !ChunkCompression.TryParse(codecName, out codec))
        {
            await ErrorAsync(response, StatusCodes.Status400BadRequest, $"unknown codec \"{codecName}\": zstd, brotli or none", ct).ConfigureAwait(false);
            return;
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, ct).ConfigureAwait(false);
        if (body.Length % ChunkId.Size != 0 || body.Length == 0 || body.Length / ChunkId.Size > ProtocolHeaders.MaxIdsPerBatch)
        {
            await ErrorAsync(response, StatusCodes.Status400BadRequest,
                $"a batch is 1 to {ProtocolHeaders.MaxIdsPerBatch} chunk ids of {ChunkId.Size} bytes; the body has {body.Length} bytes", ct).ConfigureAwait(false);
            return;
        }

        var state = await vm.StateAsync(ct).ConfigureAwait(false);
        var expected = request.Headers[ProtocolHeaders.ImageState].ToString();
        if (expected.Length > 0 && expected != state.Key)
        {
            await ErrorAsync(response, StatusCodes.Status409Conflict,
                $"image of VM {vm.Image.Name} changed since the manifest was fetched (state {expected}, now {state.Key}): fetch the manifest again", ct).ConfigureAwait(false);
            return;
        }

        var bytes = body.GetBuffer().AsSpan(0, (int)body.Length);
        var wanted = new List<(ChunkId Id, ChunkLocation At)>(bytes.Length / ChunkId.Size);
        for (int i = 0; i < bytes.Length; i += ChunkId.Size)
        {
            var id = new ChunkId(bytes.Slice(i, ChunkId.Size));
            if (!state.Locations.TryGetValue(id, out var at))
            {
                await ErrorAsync(response, StatusCodes.Status404NotFound, $"VM {vm.Image.Name} has no chunk {id}", ct).ConfigureAwait(false);
                return;
            }

            wanted.Add((id, at));
        }

        _options.Hooks?.BatchRequested?.Invoke(vm.Image.Name, wanted.Select(w => w.Id).ToList());

        // Read in image order (files whole and in sequence), send in that order; the client accepts any order.
        wanted.Sort((a, b) => a.At.Item != b.At.Item ? a.At.Item.CompareTo(b.At.Item) : a.At.Offset.CompareTo(b.At.Offset));
        response.ContentType = ProtocolHeaders.ChunkFramesType;
        response.Headers[ProtocolHeaders.Codec] = ChunkCompression.Name(codec);
        response.Headers[ProtocolHeaders.ImageState] = state.Key;
        await response.StartAsync(ct).ConfigureAwait(false);

        var frameChunks = new List<(ChunkId Id, int Length)>();
        var raw = new MemoryStream(_options.FrameBytes + (64 << 10));
        var open = new OpenItem(-1, null);
        try
        {
            foreach (var (id, at) in wanted)
            {
                var data = new byte[at.Length];
                state.Read(at.Item, at.Offset, data, ref open);
                if (_options.Hooks?.ServingChunk is { } hook)
                {
                    data = hook(vm.Image.Name, id, data);
                }

                frameChunks.Add((id, data.Length));
                raw.Write(data);
                if (raw.Length >= _options.FrameBytes)
                {
                    await SendFrameAsync().ConfigureAwait(false);
                }
            }

            if (frameChunks.Count > 0)
            {
                await SendFrameAsync().ConfigureAwait(false);
            }

            await response.Body.WriteAsync(ChunkFrame.End, ct).ConfigureAwait(false);
        }
        finally
        {
            open.Stream?.Dispose();
        }

        async Task SendFrameAsync()
        {
            var frame = ChunkFrame.Encode(codec, frameChunks, raw.GetBuffer().AsSpan(0, (int)raw.Length));
            await response.Body.WriteAsync(frame, ct).ConfigureAwait(false);
            await response.Body.FlushAsync(ct).ConfigureAwait(false);
            frameChunks.Clear();
            raw.SetLength(0);
        }
    }

    private static async Task ErrorAsync(HttpResponse response, int status, string message, CancellationToken ct)
    {
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(message + "\n", ct).ConfigureAwait(false);
    }
}

using System.Net;
using System.Net.Sockets;

namespace VmTeleport.TestSupport;

/// <summary>
/// A plain HTTP server over a directory on 127.0.0.1 (HttpListener): what an apt mirror is to the
/// destination. GET and HEAD of files only; anything else, or a path leaving the root, is 404.
/// </summary>
public sealed class StaticFileServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _root;
    private readonly Task _loop;
    private long _bytesServed;

    public StaticFileServer(string root)
    {
        _root = Path.GetFullPath(root);
        int port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    /// <summary>Body bytes sent so far (what the destination took from its mirror).</summary>
    public long BytesServed => Interlocked.Read(ref _bytesServed);

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => Serve(context));
        }
    }

    private void Serve(HttpListenerContext context)
    {
        using var response = context.Response;
        try
        {
            var relative = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath).TrimStart('/');
            var path = Path.GetFullPath(Path.Combine(_root, relative));
            if (!path.StartsWith(_root + "/", StringComparison.Ordinal) || !File.Exists(path))
            {
                response.StatusCode = 404;
                return;
            }

            using var file = File.OpenRead(path);
            response.ContentLength64 = file.Length;
            if (context.Request.HttpMethod == "GET")
            {
                file.CopyTo(response.OutputStream);
                Interlocked.Add(ref _bytesServed, file.Length);
            }
        }
        catch (Exception e) when (e is IOException or HttpListenerException)
        {
            // The client went away; nothing to answer.
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }
}

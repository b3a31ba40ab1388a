namespace VmTeleport.Transfer.Client;

/// <summary>Bytes through the client's sockets, both directions, all connections.</summary>
internal sealed class WireCounters
{
    private long _received;
    private long _sent;

    public long ReceivedBytes => Interlocked.Read(ref _received);

    public long SentBytes => Interlocked.Read(ref _sent);

    public int Received(int n)
    {
        Interlocked.Add(ref _received, n);
        return n;
    }

    public void Sent(int n) => Interlocked.Add(ref _sent, n);
}

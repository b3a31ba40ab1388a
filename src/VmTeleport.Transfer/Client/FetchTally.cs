namespace VmTeleport.Transfer.Client;

/// <summary>Counters shared by the parallel batch requests of one fetch.</summary>
internal sealed class FetchTally
{
    private int _fetched;
    private long _requested;
    private int _corrupt;
    private int _failedRequests;
    private long _raw;
    private long _payload;

    public int Fetched => _fetched;
    public long RequestedIds => Interlocked.Read(ref _requested);
    public int Corrupt => _corrupt;
    public int FailedRequests => _failedRequests;
    public long RawBytes => Interlocked.Read(ref _raw);
    public long PayloadBytes => Interlocked.Read(ref _payload);

    public void AddFetched(int bytes)
    {
        Interlocked.Increment(ref _fetched);
        Interlocked.Add(ref _raw, bytes);
    }

    public void AddRequested(int ids) => Interlocked.Add(ref _requested, ids);

    public void AddCorrupt() => Interlocked.Increment(ref _corrupt);

    public void AddFailedRequest() => Interlocked.Increment(ref _failedRequests);

    public void AddPayload(int bytes) => Interlocked.Add(ref _payload, bytes);
}

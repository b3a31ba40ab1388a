namespace VmTeleport.Disks.Qcow2;

/// <summary>
/// A small least-recently-used cache of decoded L2 tables, keyed by their host offset. Its budget
/// is in bytes (docs/disks.md: 4 MiB maps 32 GiB of a 64 KiB-cluster image), never fewer than two
/// tables so that a read straddling two tables does not thrash. Not thread-safe: the image locks.
/// </summary>
internal sealed class L2TableCache
{
    public const long BudgetBytes = 4L << 20;

    private readonly int _capacity;
    private readonly Dictionary<ulong, LinkedListNode<(ulong Offset, ulong[] Table)>> _index = [];
    private readonly LinkedList<(ulong Offset, ulong[] Table)> _lru = new();

    public L2TableCache(long tableBytes) =>
        _capacity = (int)Math.Clamp(BudgetBytes / Math.Max(tableBytes, 1), 2, 1024);

    public int Capacity => _capacity;

    public bool TryGet(ulong offset, out ulong[] table)
    {
        if (_index.TryGetValue(offset, out var node))
        {
            _lru.Remove(node);
            _lru.AddFirst(node);
            table = node.Value.Table;
            return true;
        }

        table = [];
        return false;
    }

    public void Add(ulong offset, ulong[] table)
    {
        // Two readers may load the same table at once; keep one copy so the list never outgrows the index.
        if (_index.ContainsKey(offset))
        {
            return;
        }

        if (_index.Count >= _capacity && _lru.Last is { } oldest)
        {
            _lru.RemoveLast();
            _index.Remove(oldest.Value.Offset);
        }

        _index[offset] = _lru.AddFirst((offset, table));
    }
}

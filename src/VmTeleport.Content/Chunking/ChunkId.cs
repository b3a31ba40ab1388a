using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace VmTeleport.Content.Chunking;

/// <summary>
/// The 32-byte hash that names a chunk's content (docs/chunking.md, "Chunk id"). Kept as four
/// big-endian words so equality and hashing are four compares, not a byte loop, and the bytes read
/// back in the order they were written.
/// </summary>
public readonly struct ChunkId : IEquatable<ChunkId>, IComparable<ChunkId>
{
    public const int Size = 32;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    public ChunkId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"a chunk id is {Size} bytes, not {bytes.Length}", nameof(bytes));
        }

        _a = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _b = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _c = BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]);
        _d = BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]);
    }

    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"a chunk id needs {Size} bytes, the destination has {destination.Length}",
                nameof(destination));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _d);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>64 lowercase hex digits, the form used in manifests and logs.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    public static ChunkId Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        return TryParse(hex, out var id)
            ? id
            : throw new FormatException($"a chunk id is {Size * 2} hex digits, got \"{Truncate(hex)}\"");
    }

    public static bool TryParse([NotNullWhen(true)] string? hex, out ChunkId id)
    {
        id = default;
        if (hex is null || hex.Length != Size * 2)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Size];
        if (Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != Size)
        {
            return false;
        }

        id = new ChunkId(bytes);
        return true;
    }

    public bool Equals(ChunkId other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is ChunkId other && Equals(other);

    // The id is already a uniformly distributed hash: its first word is as good a hash code as any.
    public override int GetHashCode() => (int)_a ^ (int)(_a >> 32);

    public int CompareTo(ChunkId other)
    {
        var c = _a.CompareTo(other._a);
        if (c == 0)
        {
            c = _b.CompareTo(other._b);
        }

        if (c == 0)
        {
            c = _c.CompareTo(other._c);
        }

        return c != 0 ? c : _d.CompareTo(other._d);
    }

    public static bool operator ==(ChunkId left, ChunkId right) => left.Equals(right);

    public static bool operator !=(ChunkId left, ChunkId right) => !left.Equals(right);

    public static bool operator <(ChunkId left, ChunkId right) => left.CompareTo(right) < 0;

    public static bool operator >(ChunkId left, ChunkId right) => left.CompareTo(right) > 0;

    public static bool operator <=(ChunkId left, ChunkId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ChunkId left, ChunkId right) => left.CompareTo(right) >= 0;

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "…";
}

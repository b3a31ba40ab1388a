namespace VmTeleport.Guests.Classes;

/// <summary>Entries of one class: how many, and the bytes of the regular files among them.</summary>
public sealed record ClassTotals
{
    public long Count { get; set; }

    public long Bytes { get; set; }
}

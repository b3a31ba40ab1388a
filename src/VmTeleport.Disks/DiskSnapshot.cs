namespace VmTeleport.Disks;

/// <summary>A qcow2 internal snapshot: open it with DiskImage.Open("PATH@" + Id) or "PATH@" + Name.</summary>
public sealed record DiskSnapshot(string Id, string Name, long? VirtualSize, DateTimeOffset Date);

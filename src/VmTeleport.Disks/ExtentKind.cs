namespace VmTeleport.Disks;

/// <summary>What backs a range of a virtual disk.</summary>
public enum ExtentKind
{
    /// <summary>Stored data (which may still happen to be zeros).</summary>
    Data,

    /// <summary>Explicitly zero (qcow2 zero cluster or subcluster): reads as zeros, stores nothing.</summary>
    Zero,

    /// <summary>Allocated nowhere in the chain (a hole): reads as zeros.</summary>
    Unallocated,
}

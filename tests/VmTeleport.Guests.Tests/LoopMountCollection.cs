namespace VmTeleport.Guests.Tests;

/// <summary>Tests that attach loop devices run one class at a time: parallel losetup calls race for free devices.</summary>
[CollectionDefinition(Name)]
public sealed class LoopMountCollection
{
    public const string Name = "loop mounts";
}

namespace VmTeleport.Content.Planning;

/// <summary>Where a source package's files come from at the destination (<see cref="PackageChoice"/>).</summary>
public enum PackageAction
{
    /// <summary>The source's exact name, architecture and version is held locally ("exact").</summary>
    Exact,

    /// <summary>A newer version from an allowed suite of the source's release is installed instead ("newer").</summary>
    Newer,

    /// <summary>Neither: the package's files are sent as they are ("wire").</summary>
    Wire,
}

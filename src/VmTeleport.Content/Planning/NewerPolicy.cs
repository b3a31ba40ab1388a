namespace VmTeleport.Content.Planning;

/// <summary>
/// Which newer versions of the source's packages the destination may install instead of sending
/// the exact ones (plan --allow-newer; docs/planning.md, "Newer packages"). Always from a known
/// suite of the source's own release: a newer package never changes the distribution release.
/// </summary>
public enum NewerPolicy
{
    /// <summary>Only the source's exact versions.</summary>
    None,

    /// <summary>Any suite of the source's release except -backports and -proposed-updates ("release").</summary>
    Release,

    /// <summary>Only the release's -security and -updates suites ("security").</summary>
    Security,
}

using VmTeleport.Content.Planning;

namespace VmTeleport.Content.Tests.Planning;

/// <summary>
/// Which suites each --allow-newer policy takes newer versions from. Kept apart from
/// PackageSourcingRulesTests, whose constructor builds .debs and repositories for every case.
/// </summary>
public sealed class PackageSourcingPolicyTests
{
    [Theory]
    [InlineData(NewerPolicy.Release, "bookworm", true)]
    [InlineData(NewerPolicy.Release, "bookworm-security", true)]
    [InlineData(NewerPolicy.Release, "bookworm-updates", true)]
    [InlineData(NewerPolicy.Release, "bookworm-backports", false)]
    [InlineData(NewerPolicy.Release, "bookworm-backports-sloppy", false)]
    [InlineData(NewerPolicy.Release, "bookworm-proposed-updates", false)]
    [InlineData(NewerPolicy.Security, "bookworm-security", true)]
    [InlineData(NewerPolicy.Security, "bookworm-updates", true)]
    [InlineData(NewerPolicy.Security, "bookworm", false)]
    [InlineData(NewerPolicy.None, "bookworm-security", false)]
    public void Policies_allow_suites(NewerPolicy policy, string suite, bool allowed) => Assert.Equal(allowed, PackageSourcing.Allows(policy, suite));
}

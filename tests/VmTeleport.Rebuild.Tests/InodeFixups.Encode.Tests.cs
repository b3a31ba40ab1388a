namespace VmTeleport.Rebuild.Tests;

public sealed class InodeFixupsEncodeTests
{
    [Theory]
    [InlineData(1_700_000_000_123_456_789L, 0x6553F100u, (123_456_789u << 2))]
    [InlineData(4_102_444_800_500_000_000L, 0xF486_5700u, (500_000_000u << 2) | 1)] // 2100: epoch bit 1
    [InlineData(-315_619_200_000_000_000L, 0xED300880u, 0u)] // 1960: negative seconds, epoch 0
    public void Times_split_into_seconds_and_extra_as_ext4_stores_them(long ns, uint seconds, uint extra) =>
        Assert.Equal((seconds, extra), InodeFixups.Encode(ns));
}

namespace VmTeleport.Disks.Tests;

/// <summary>Random damage to MBR, EBR and GPT sectors: the reader returns a table or throws InvalidDataException naming the disk.</summary>
public sealed class PartitionTableMutationTests
{
    [Theory]
    [InlineData("mbr.raw", 1)]
    [InlineData("gpt.raw", 2)]
    public void Mutated_tables_fail_only_with_invalid_data(string fixture, int seed)
    {
        var original = File.ReadAllBytes(DiskFixtures.Path(fixture));
        // Sector 0, the GPT header and entries (LBA 1..33), the EBRs (sectors 14336, 34814..), the backup GPT.
        var sectors = new List<long> { 0, 1, 2, 3, 14336, 34814, 45054, (original.Length / 512) - 1, (original.Length / 512) - 33 };
        var rng = new Random(seed);
        int failures = 0;
        for (int i = 0; i < 200; i++)
        {
            var mutated = (byte[])original.Clone();
            for (int f = rng.Next(1, 4); f > 0; f--)
            {
                long sector = sectors[rng.Next(sectors.Count)];
                int at = (int)(sector * 512) + (rng.Next(2) == 0 ? 440 + rng.Next(72) : rng.Next(512));
                mutated[at] = (byte)rng.Next(256);
            }

            using var disk = new MemoryBlockSource(mutated, fixture);
            try
            {
                var table = PartitionTable.Read(disk);
                Assert.All(table.Partitions, p => Assert.True(p.Offset >= 0 && p.Offset + p.Length <= disk.Length));
            }
            catch (InvalidDataException e)
            {
                Assert.StartsWith(fixture, e.Message, StringComparison.Ordinal);
                failures++;
            }
        }

        Assert.True(failures > 0, "no damage was ever detected");
    }
}

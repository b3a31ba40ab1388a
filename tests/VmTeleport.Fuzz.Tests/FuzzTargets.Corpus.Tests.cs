using VmTeleport.TestSupport;

namespace VmTeleport.Fuzz.Tests;

/// <summary>
/// Every fuzz target over its corpus as an ordinary test: the seed inputs (tools/fixtures/fuzz.sh),
/// inputs AFL found and we kept (tests/VmTeleport.Fuzz/corpus/TARGET/), and a fixed number of
/// deterministic mutations of each seed. Each execution may only succeed or fail as documented
/// (FuzzTargets.IsDocumented), and must finish in seconds.
/// </summary>
public sealed class FuzzTargetsCorpusTests
{
    private const int MutationsPerSeed = 400;
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);

    public static TheoryData<string, string> Seeds()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in FuzzTargets.All.Keys)
        {
            foreach (var file in CorpusFiles(target))
            {
                data.Add(target, file);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Seed_is_accepted_and_its_mutations_fail_only_as_documented(string target, string seedFile)
    {
        var run = FuzzTargets.All[target];
        var seed = File.ReadAllBytes(seedFile);
        bool isRegression = seedFile.Contains("/corpus/", StringComparison.Ordinal);
        var first = Execute(run, seed, seedFile);
        Assert.True(isRegression || first is null, $"the valid seed {seedFile} was rejected: {first}");

        // string.GetHashCode is randomised per process: derive the seed from the name's bytes so
        // that a failing mutation number reproduces run after run.
        var mutator = new Mutator(StableHash(target + "/" + Path.GetFileName(seedFile)));
        for (int i = 0; i < MutationsPerSeed; i++)
        {
            var input = mutator.Mutate(seed, hotBytes: 4096);
            Execute(run, input, $"{seedFile} mutation {i}");
        }
    }

    [Fact]
    public void Every_target_has_seeds() =>
        Assert.All(FuzzTargets.All.Keys, t => Assert.NotEmpty(CorpusFiles(t)));

    /// <summary>Null when accepted, the message when rejected as documented; fails the test otherwise.</summary>
    private static string? Execute(Action<byte[]> run, byte[] input, string what)
    {
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                run(input);
            }
            catch (Exception e)
            {
                error = e;
            }
        }, maxStackSize: 16 << 20);
        thread.Start();
        if (!thread.Join(HangLimit))
        {
            Assert.Fail($"{what}: no answer within {HangLimit.TotalSeconds} s (hang). Input saved as {Save(input)}");
        }

        return error switch
        {
            null => null,
            _ when FuzzTargets.IsDocumented(error) => error.Message,
            _ => throw new Xunit.Sdk.XunitException($"{what}: undocumented {error.GetType().Name} (input saved as {Save(input)}): {error}"),
        };
    }

    /// <summary>FNV-1a over the UTF-16 code units: the same number in every process.</summary>
    private static int StableHash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)hash;
    }

    private static string Save(byte[] input)
    {
        var path = Path.Combine(Path.GetTempPath(), $"vmt-fuzz-finding-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(input))[..16]}.bin");
        File.WriteAllBytes(path, input);
        return path;
    }

    private static IEnumerable<string> CorpusFiles(string target)
    {
        var seeds = Path.Combine(Fixtures.Dir("fuzz"), target);
        var kept = RepoRoot.Combine("tests", "VmTeleport.Fuzz", "corpus", target);
        return new[] { seeds, kept }
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d))
            .Order(StringComparer.Ordinal);
    }
}

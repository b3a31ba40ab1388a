using BenchmarkDotNet.Running;
using VmTeleport.Benchmarks.Content;

// "chunk-sizes A B" is the corpus measurement of bench/chunk-sizes.sh; anything else goes to
// BenchmarkDotNet (e.g. --filter '*Hash*' --job short).
if (args.Length > 0 && args[0] == "chunk-sizes")
{
    return ChunkSizeSurvey.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "chunk-file")
{
    return ChunkFile.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "chunk-store")
{
    return VmTeleport.Benchmarks.Transfer.ChunkStoreRun.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(HashBenchmarks).Assembly).Run(args);
return 0;

using SharpFuzz;
using VmTeleport.Fuzz;

// usage: VmTeleport.Fuzz TARGET            (under afl-fuzz: reads inputs from AFL)
//        VmTeleport.Fuzz TARGET FILE...    (replays inputs, e.g. crashes AFL found)
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: VmTeleport.Fuzz TARGET [FILE...]; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
    return 2;
}

if (args.Length > 1)
{
    foreach (var file in args.Skip(1))
    {
        Console.WriteLine($"{file}: {Outcome(() => target(File.ReadAllBytes(file)))}");
    }

    return 0;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var memory = new MemoryStream();
    stream.CopyTo(memory);
    try
    {
        target(memory.ToArray());
    }
    catch (Exception e) when (FuzzTargets.IsDocumented(e))
    {
        // A documented failure for bad input: not a finding.
    }
});
return 0;

static string Outcome(Action run)
{
    try
    {
        run();
        return "accepted";
    }
    catch (Exception e) when (FuzzTargets.IsDocumented(e))
    {
        return $"rejected: {e.GetType().Name}: {e.Message}";
    }
}

namespace VmTeleport.TestSupport;

/// <summary>What a finished external command printed and returned.</summary>
public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr);

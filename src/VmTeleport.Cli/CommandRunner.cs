namespace VmTeleport.Cli;

/// <summary>
/// Runs a command body and turns what it throws into one line on stderr and an exit code, so
/// that no user ever sees a stack trace for bad input.
/// </summary>
public static class CommandRunner
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (ExitCodeOf(e) is int code)
        {
            Console.Out.Flush();
            Console.Error.WriteLine($"vmteleport: {Describe(e)}");
            return code;
        }
    }

    public static int? ExitCodeOf(Exception e) => e switch
    {
        UsageException => ExitCodes.Usage,
        FileNotFoundException or DirectoryNotFoundException or KeyNotFoundException => ExitCodes.NotFound,
        InvalidDataException => ExitCodes.InvalidData,
        NotSupportedException => ExitCodes.NotSupported,
        UnauthorizedAccessException or IOException => ExitCodes.IoError,
        ArgumentException => ExitCodes.Usage,
        _ => null,
    };

    private static string Describe(Exception e) => e switch
    {
        InvalidDataException => $"corrupt input: {e.Message}",
        NotSupportedException => $"not supported: {e.Message}",
        _ => e.Message,
    };
}

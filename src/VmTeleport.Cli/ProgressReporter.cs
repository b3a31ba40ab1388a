using Spectre.Console;

namespace VmTeleport.Cli;

/// <summary>
/// A live progress line on stderr for long walks, shown only when a person is watching (stderr is
/// a terminal) and the results go elsewhere (stdout redirected), so that scripts and piped output
/// never see control sequences.
/// </summary>
public static class ProgressReporter
{
    public static bool IsWanted => !Console.IsErrorRedirected && Console.IsOutputRedirected;

    /// <summary>
    /// Runs <paramref name="work"/>, giving it a callback to report (entries, bytes) done so far.
    /// Without a watcher the callback does nothing.
    /// </summary>
    public static T Run<T>(string what, Func<Action<long, long>, T> work) => Run(what, work, IsWanted);

    /// <summary>
    /// As <see cref="Run{T}(string, Func{Action{long, long}, T})"/>, for commands that print their
    /// result only at the end, so a terminal on stdout does not rule the progress line out.
    /// </summary>
    public static T Run<T>(string what, Func<Action<long, long>, T> work, bool wanted)
    {
        if (!wanted)
        {
            return work((_, _) => { });
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(false)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(what).IsIndeterminate();
                long lastTick = 0;
                var result = work((entries, bytes) =>
                {
                    // Redraw at most ten times a second: the walk reports per entry.
                    long now = Environment.TickCount64;
                    if (now - lastTick >= 100)
                    {
                        lastTick = now;
                        task.Description = $"{what}: {entries:N0} entries, {Size.Format(bytes)} hashed";
                    }
                });
                task.StopTask();
                return result;
            });
    }
}

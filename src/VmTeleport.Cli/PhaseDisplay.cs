using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace VmTeleport.Cli;

/// <summary>
/// How a command of several long phases (pull) shows them: when a person watches stderr, a live
/// Spectre.Console bar per phase (bytes done where the phase can count them); otherwise one log
/// line per finished phase, so scripts and logs still say what happened and how long it took.
/// </summary>
public sealed class PhaseDisplay
{
    private readonly ProgressContext? _context;
    private readonly IAnsiConsole? _console;
    private readonly bool _log;

    private PhaseDisplay(ProgressContext? context, IAnsiConsole? console, bool log)
    {
        _context = context;
        _console = console;
        _log = log;
    }

    /// <summary>Runs <paramref name="body"/> with live bars when <paramref name="live"/>, else with log lines when <paramref name="log"/>.</summary>
    public static int Run(bool live, bool log, Func<PhaseDisplay, int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!live)
        {
            return body(new PhaseDisplay(null, null, log));
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        int result = 0;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context => result = body(new PhaseDisplay(context, console, log)));
        return result;
    }

    /// <summary>
    /// Runs one phase. <paramref name="done"/> (polled ten times a second) counts towards
    /// <paramref name="total"/>; without them the bar is indeterminate.
    /// </summary>
    public T Phase<T>(string name, long total, Func<long>? done, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var clock = Stopwatch.StartNew();
        if (_context is null)
        {
            var value = work();
            Log(string.Create(CultureInfo.InvariantCulture, $"{name} done in {clock.Elapsed.TotalSeconds:F1} s"));
            return value;
        }

        var task = _context.AddTask(name, maxValue: Math.Max(total, 1));
        task.IsIndeterminate(done is null || total <= 0);
        var running = Task.Run(work);
        while (!Task.WhenAny(running, Task.Delay(100)).GetAwaiter().GetResult().Equals(running))
        {
            if (done is not null)
            {
                task.Value = Math.Min(done(), task.MaxValue);
            }
        }

        task.Value = task.MaxValue;
        task.StopTask();
        return running.GetAwaiter().GetResult();
    }

    /// <summary>A line for the person or the log, above the bars when they are shown.</summary>
    public void Log(string message)
    {
        if (_console is not null)
        {
            _console.WriteLine("vmteleport: " + message);
        }
        else if (_log)
        {
            Console.Error.WriteLine("vmteleport: " + message);
        }
    }
}

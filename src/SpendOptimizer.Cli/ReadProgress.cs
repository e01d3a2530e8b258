using Spectre.Console;

namespace SpendOptimizer.Cli;

/// <summary>
/// A progress bar on standard error while a large file is read. By default (auto) it shows only when standard error is a
/// terminal and the file is at least <see cref="LargeFile"/> bytes, so scripts and pipes see nothing of it.
/// </summary>
public static class ReadProgress
{
    public const long LargeFile = 64L << 20;

    /// <summary>Runs <paramref name="read"/>, which reports the bytes it reads, under a bar when <paramref name="mode"/> says so.</summary>
    public static T Run<T>(string? mode, string file, TextWriter error, Func<Action<long>, T> read)
    {
        var length = new FileInfo(file) is { Exists: true } info ? info.Length : 0;
        var show = mode switch
        {
            null or "auto" => !Console.IsErrorRedirected && length >= LargeFile,
            "always" => true,
            "never" => false,
            _ => throw new UsageException($"--progress must be auto, always or never, got '{mode}'"),
        };
        if (!show) return read(_ => { });
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error), Interactive = InteractionSupport.Yes });
        var result = default(T)!;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask($"reading {Path.GetFileName(file)}", maxValue: Math.Max(1, length));
                result = read(n => task.Increment(n));
                task.Value = task.MaxValue; // chunk edges are read twice, so the count may pass the length; the end is the end
            });
        return result;
    }
}

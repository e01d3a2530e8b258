namespace SpendOptimizer.Api.Observability;

/// <summary>One step of long work: the stage, units done, and the stage's total when known.</summary>
public readonly record struct ProgressReport(string Stage, long Done, long? Total, string Unit);

/// <summary>
/// Where long work says how far it has got. Services report as they go; whoever runs them (a job) listens for the
/// duration of the call. With nobody listening a report costs one read of an async-local.
/// </summary>
public static class WorkProgress
{
    private static readonly AsyncLocal<Action<ProgressReport>?> Listener = new();

    public static void Report(string stage, long done, long? total, string unit) => Listener.Value?.Invoke(new ProgressReport(stage, done, total, unit));

    /// <summary>Sends the reports made in this async flow, until disposed, to <paramref name="listener"/>.</summary>
    public static IDisposable Listen(Action<ProgressReport> listener)
    {
        var before = Listener.Value;
        Listener.Value = listener;
        return new Restore(before);
    }

    private sealed class Restore(Action<ProgressReport>? before) : IDisposable
    {
        public void Dispose() => Listener.Value = before;
    }
}

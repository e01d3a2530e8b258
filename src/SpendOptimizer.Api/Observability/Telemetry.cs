using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SpendOptimizer.Api.Observability;

/// <summary>
/// The service's own spans and instruments, on System.Diagnostics alone: whether and where they are exported is the host's
/// choice (Hosting/TelemetrySetup), so the services and stores that record them know nothing of OpenTelemetry.
/// </summary>
public static class Telemetry
{
    public const string Name = "SpendOptimizer";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Rows = Meter.CreateCounter<long>("spendoptimizer.ingest.rows", "{row}",
        "Rows stored by a completed load (inserted, updated or already stored as sent), by table.");

    private static readonly Histogram<double> SolveDuration = Meter.CreateHistogram("spendoptimizer.solve.duration", "s",
        "Time the solver took on one allocation or path problem.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });

    private static readonly Histogram<double> SolveGap = Meter.CreateHistogram("spendoptimizer.solve.gap", "1",
        "Relative optimality gap the solver proved when it stopped.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0, 1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.05, 0.1, 0.5, 1] });

    private static readonly Histogram<double> PlanGain = Meter.CreateHistogram("spendoptimizer.plan.gain", "1",
        "A plan's objective gain over keeping today's spend, as a share of today's objective.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [-0.01, 0, 0.001, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1] });

    /// <summary>Counts the rows of a load that has been committed.</summary>
    public static void Ingested(string table, long rows) => Rows.Add(rows, new KeyValuePair<string, object?>("table", table));

    /// <summary>What one solve reports: its status, seconds, proven gap, and the objective today's spend and the plan reach.</summary>
    public readonly record struct SolveReport(string Status, double Seconds, double Gap, bool HasPlan, double Current, double Planned);

    /// <summary>Runs one solve inside a "solve {solver}" span and records its time, gap and, for a plan, its gain.</summary>
    public static T Solve<T>(string solver, Func<T> solve, Func<T, SolveReport> report)
    {
        using var activity = Source.StartActivity($"solve {solver}");
        var result = solve();
        var r = report(result);
        var status = r.Status.ToLowerInvariant();
        activity?.SetTag("spendoptimizer.solver", solver).SetTag("spendoptimizer.solve.status", status)
            .SetTag("spendoptimizer.solve.gap", r.Gap).SetTag("spendoptimizer.solve.seconds", r.Seconds);
        var tags = new TagList { { "solver", solver }, { "status", status } };
        SolveDuration.Record(r.Seconds, tags);
        if (double.IsFinite(r.Gap)) SolveGap.Record(r.Gap, tags);
        // A gain as a share needs a current objective to divide by; a plan from nothing spent has none.
        if (r.HasPlan && r.Current != 0 && double.IsFinite(r.Planned - r.Current))
            PlanGain.Record((r.Planned - r.Current) / Math.Abs(r.Current), new KeyValuePair<string, object?>("solver", solver));
        return result;
    }
}

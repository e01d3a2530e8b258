using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Errors;
using SpendOptimizer.Api.Ingest;
using SpendOptimizer.Api.Storage;

namespace SpendOptimizer.Api.Services;

/// <summary>
/// Reads the retention query (its choices are checked before the handler runs) and picks the source: orders when the
/// workspace has any, else subscriptions, unless ?source= names one.
/// </summary>
public sealed class RetentionService(RetentionStore store)
{
    public async Task<RetentionReport> ReportAsync(string ws, RetentionQuery q, CancellationToken ct)
    {
        var (source, by, cohort) = await ResolveAsync(ws, q.Source, q.By, q.Cohort, ct);
        var last = await store.LastDateAsync(ws, source, ct);
        var rows = await store.SummaryAsync(ws, source, cohort, by == "acquisition_channel", ct);
        return new RetentionReport(source, by, cohort, last, rows);
    }

    public async Task<RetentionTriangle> TriangleAsync(string ws, TriangleQuery q, CancellationToken ct)
    {
        var (source, by, cohort) = await ResolveAsync(ws, q.Source, q.By, q.Cohort, ct);
        var months = q.Months ?? 12;
        var last = await store.LastDateAsync(ws, source, ct);
        var rows = await store.TriangleAsync(ws, source, cohort, by == "acquisition_channel", months, ct);
        return new RetentionTriangle(source, by, cohort, last, months, rows);
    }

    private async Task<(RetentionSource Source, string By, string Cohort)> ResolveAsync(string ws, string? source, string? by, string? cohort, CancellationToken ct)
    {
        // A blank parameter means its default, as for every other query.
        var from = string.IsNullOrWhiteSpace(source)
            ? await store.HasOrdersAsync(ws, ct) ? RetentionSource.Orders : RetentionSource.Subscriptions
            : QueryChoice.Parse(source, "source", RetentionSource.Orders);
        return (from, Choice(by, "by", "acquisition_channel", "none"), Choice(cohort, "cohort", "month", "week", "quarter"));
    }

    /// <summary>The value as the query names it, lower case; blank gives the first choice. The SQL reads only these.</summary>
    private static string Choice(string? value, string name, params string[] choices)
    {
        if (string.IsNullOrWhiteSpace(value)) return choices[0];
        var v = value.Trim().ToLowerInvariant();
        return choices.Contains(v) ? v : throw ProblemException.InvalidParameter(name, "must be one of " + string.Join(", ", choices), value);
    }
}

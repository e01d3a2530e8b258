using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Core.Calendar;
using SpendOptimizer.Core.Inputs;
using SpendOptimizer.Core.Outcomes;

namespace SpendOptimizer.Api.Services;

/// <summary>Sets each stored recommendation beside the performance data of the week it planned.</summary>
public sealed class OutcomeService(RecommendationStore recommendations, ResponseCurveStore curves, PerformanceStore performance, WorkspaceStore workspaces)
{
    /// <summary>Weeks of spend before the planned week carried into the adstock; θ^52 is negligible for any θ the catalogue allows.</summary>
    private const int HistoryWeeks = 52;

    /// <summary>The stored recommendation <paramref name="id"/> beside its week's data.</summary>
    public async Task<Outcome<RecommendationOutcome>> OutcomeAsync(string ws, Guid id, CancellationToken ct)
    {
        var rec = await recommendations.GetAsync(ws, id, ct);
        if (rec is null) return new Outcome<RecommendationOutcome>.Missing("Recommendation not found", $"Workspace '{ws}' has no recommendation {id}.");
        if (await OutcomeAsync(ws, rec, ct) is { } outcome) return outcome;
        return new Outcome<RecommendationOutcome>.Conflict("Curves no longer stored",
            $"The response curves recommendation {id} was planned on are gone, so its prediction cannot be re-evaluated at the actual spend.");
    }

    /// <summary>Accuracy over the newest <paramref name="limit"/> recommendations the query selects; those whose curves are gone are left out.</summary>
    public async Task<AccuracyReport> AccuracyAsync(string ws, ListQuery query, int limit, CancellationToken ct)
    {
        var recs = await recommendations.ListAsync(ws, null, query, limit, ct);
        var found = new List<RecommendationOutcome>();
        foreach (var rec in recs.Items)
            if (await OutcomeAsync(ws, rec, ct) is { } o) found.Add(o);
        return Accuracy(found);
    }

    /// <summary>Null when the curves the recommendation was planned on are no longer stored.</summary>
    private async Task<RecommendationOutcome?> OutcomeAsync(string ws, RecommendationResponse rec, CancellationToken ct)
    {
        if (rec.FitId is null || await curves.GetAsync(ws, rec.FitId, ct) is not { } fit) return null;
        // Performance weeks start on the workspace's week start; a plan for any day of a week is judged on that week.
        var week = Weeks.StartOf(rec.Week, (await workspaces.SettingsAsync(ws, ct)).WeekStart);
        var weekly = await performance.WeeklyAsync(ws, week.AddDays(-7 * HistoryWeeks), week.AddDays(6), ct);
        var histories = ChannelHistory.Build(weekly).ToDictionary(h => h.Channel);
        var days = weekly.Where(w => w.Week == week).ToDictionary(w => w.Channel, w => w.Days);

        var lines = new List<OutcomeLine>();
        var outcomes = new List<ChannelOutcome>();
        foreach (var line in rec.Lines)
        {
            var curve = fit.Curves.FirstOrDefault(c => c.Channel == line.Channel);
            var factor = curve?.FactorMean ?? 1;
            var covered = days.GetValueOrDefault(line.Channel);
            if (covered == 0 || curve is null || !histories.TryGetValue(line.Channel, out var h))
            {
                lines.Add(new OutcomeLine(line.Channel, 0, line.RecommendedSpend, null, null, line.Conversions, null, null, null, factor,
                    null, null, line.Revenue, null, null));
                continue;
            }
            var i = Array.IndexOf(h.Weeks, week);
            var o = new ChannelOutcome(line.Channel, line.RecommendedSpend, h.Spend[i], line.Conversions,
                ChannelOutcome.Expected(curve.Curve, h.Spend[..(i + 1)]), h.Attributed[i], factor);
            outcomes.Add(o);
            lines.Add(Line(o, covered, line.Revenue, o.ExpectedConversions * curve.RevenuePerConversion, h.Revenue[i] * factor));
        }

        var status = lines.All(l => l.DaysWithData >= 7) ? OutcomeStatus.Complete
            : lines.All(l => l.DaysWithData == 0) ? OutcomeStatus.Waiting : OutcomeStatus.Partial;
        return new RecommendationOutcome(rec.Id, rec.Week, status, lines, Total(lines, outcomes));
    }

    private static OutcomeLine Line(ChannelOutcome o, int days, double predictedRevenue, double? expectedRevenue, double? actualRevenue) =>
        new(o.Channel, days, o.RecommendedSpend, o.ActualSpend, o.SpendFollowed, o.PredictedConversions, o.ExpectedConversions,
            o.ReportedConversions, o.ActualConversions, o.Factor, o.Error, o.PercentError, predictedRevenue, expectedRevenue, actualRevenue);

    /// <summary>Sums over channels; actual columns sum the channels that have data, so a partial week reads as partial.</summary>
    private static OutcomeLine Total(IReadOnlyList<OutcomeLine> lines, IReadOnlyList<ChannelOutcome> outcomes)
    {
        var recommended = lines.Sum(l => l.RecommendedSpend);
        var predicted = lines.Sum(l => l.PredictedConversions);
        var predictedRevenue = lines.Sum(l => l.PredictedRevenue);
        if (outcomes.Count == 0)
            return new OutcomeLine("total", 0, recommended, null, null, predicted, null, null, null, 1, null, null, predictedRevenue, null, null);
        var reported = outcomes.Sum(o => o.ReportedConversions);
        var factor = reported > 0 ? outcomes.Sum(o => o.ActualConversions) / reported : 1;
        var total = new ChannelOutcome("total", recommended, outcomes.Sum(o => o.ActualSpend), predicted, outcomes.Sum(o => o.ExpectedConversions), reported, factor);
        return Line(total, lines.Min(l => l.DaysWithData), predictedRevenue, lines.Sum(l => l.ExpectedRevenue), lines.Sum(l => l.ActualRevenue));
    }

    /// <summary>Accuracy over the recommendations given (newest first); only complete weeks count.</summary>
    private static AccuracyReport Accuracy(IReadOnlyList<RecommendationOutcome> outcomes)
    {
        var complete = outcomes.Where(o => o.Status == OutcomeStatus.Complete).ToList();
        var model = ForecastAccuracy.Of(complete.Select(o => (o.Total.ExpectedConversions!.Value, o.Total.ActualConversions!.Value)));
        var plan = ForecastAccuracy.Of(complete.Select(o => (o.Total.PredictedConversions, o.Total.ActualConversions!.Value)));
        var channels = complete.SelectMany(o => o.Lines).GroupBy(l => l.Channel).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ChannelAccuracy(g.Key, ForecastAccuracy.Of(g.Select(l => (l.ExpectedConversions!.Value, l.ActualConversions!.Value)))))
            .ToList();
        var weeks = outcomes.Select(o => new AccuracyWeek(o.RecommendationId, o.Week, o.Status, o.Total.RecommendedSpend, o.Total.ActualSpend,
            o.Total.PredictedConversions, o.Total.ExpectedConversions, o.Total.ActualConversions, o.Total.PercentError)).ToList();
        return new AccuracyReport(model, plan, channels, weeks);
    }
}

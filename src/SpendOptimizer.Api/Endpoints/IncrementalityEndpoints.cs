using Microsoft.AspNetCore.Mvc;
using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Services;
using SpendOptimizer.Core.Incrementality;

namespace SpendOptimizer.Api.Endpoints;

public static class IncrementalityEndpoints
{
    public const string RuleText =
        "Each test gives factor = incremental / attributed conversions in its window, se = stderr / attributed, and combines on the log scale: " +
        "ln factor with se/factor (a test with factor < se counts as ln se with se 1: at most its detection limit). Tests and the lognormal prior " +
        "with mean prior_mean and sd prior_sd form a precision-weighted normal posterior N(m, s²) on ln factor; a test's log variance doubles every age_half_life_days " +
        "after its end and grows by (ln(test weekly spend / current weekly spend) / spend_distance_scale)². The factor is lognormal: mean = exp(m + s²/2), " +
        "90% interval = exp(m ± 1.645 s). " +
        "With untested_prior = journeys, a channel without tests combines that prior, on the log scale, with the factor its credit in the named attribution run (else the latest) " +
        "implies: the tested channels give ln(factor × weekly attributed / journey share), whose mean and spread (4+ channels) predict the untested one.";

    public static RouteGroupBuilder MapIncrementalityEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Incrementality");
        group.MapGet("/incrementality", Get)
            .RequireRole(Role.Read)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithName("GetIncrementality")
            .WithSummary("Per-channel incrementality factor from the lift tests: mean, 90% interval, tests used and the weighting rule.");
        return group;
    }

    /// <param name="asOf">Date the test ages are counted to (default: end of the last week of performance data).</param>
    /// <param name="attributionRunId">Split weekly conversions by this run's channel shares instead of the performance table's conversions; the same run informs untested channels.</param>
    /// <param name="priorSd">Overrides the catalogue's prior sd (lift_calibration model); likewise prior_mean, age_half_life_days, spend_distance_scale.</param>
    /// <param name="untestedPrior">flat or journeys (the catalogue's default): what channels without tests start from.</param>
    /// <param name="poolTested">true: channels without tests start from what the tested channels' factors say of one more (pool_tested).</param>
    /// <param name="efficiencyPrior">Overrides whether channels without tests lean on the tested channels' value per spend (efficiency_prior).</param>
    private static async Task<Results<Ok<IncrementalityResponse>, CsvResult<ChannelFactorResponse>, ValidationProblem, ProblemHttpResult>> Get(
        string ws, HttpRequest request, CalibrationService calibration,
        [FromQuery(Name = "as_of")] DateOnly? asOf = null, [FromQuery(Name = "attribution_run_id")] Guid? attributionRunId = null,
        [FromQuery(Name = "prior_mean")] double? priorMean = null, [FromQuery(Name = "prior_sd")] double? priorSd = null,
        [FromQuery(Name = "age_half_life_days")] double? ageHalfLifeDays = null, [FromQuery(Name = "spend_distance_scale")] double? spendDistanceScale = null,
        [FromQuery(Name = "untested_prior"), QueryChoices(typeof(Core.Incrementality.UntestedPrior))] string? untestedPrior = null, [FromQuery(Name = "pool_tested")] bool? poolTested = null,
        [FromQuery(Name = "efficiency_prior")] bool? efficiencyPrior = null,
        [QueryChoices("json", "csv")] string? format = null, CancellationToken ct = default)
    {
        var outcome = await calibration.FactorsAsync(ws, new CalibrationService.FactorQuery(asOf, attributionRunId, priorMean, priorSd, ageHalfLifeDays,
            spendDistanceScale, untestedPrior, poolTested, efficiencyPrior), ct);
        if (outcome is not Outcome<CalibrationService.Calibrated>.Done(var result))
            return outcome switch
            {
                Outcome<CalibrationService.Calibrated>.Invalid(var errors) => TypedResults.ValidationProblem(errors),
                Outcome<CalibrationService.Calibrated>.Missing(var title, var detail) => TypedResults.Problem(statusCode: 404, title: title, detail: detail),
                _ => throw new InvalidOperationException($"unexpected calibration outcome {outcome}"),
            };
        var rows = result.Factors.Select(ToResponse).ToList();
        if (ListResults.WantsCsv(request, format)) return new CsvResult<ChannelFactorResponse>(rows, Columns, "incrementality", null);
        var r = result.Rule;
        return TypedResults.Ok(new IncrementalityResponse(result.AsOf, result.AttributionRunId,
            new RuleResponse(r.PriorMean, r.PriorSd, r.AgeHalfLifeDays, r.SpendDistanceScale, RuleText, r.UntestedPrior),
            rows, result.JourneyRunId));
    }

    public static ChannelFactorResponse ToResponse(ChannelFactor f) => new(f.Channel, f.Mean, f.Sd, f.Lower90, f.Upper90, f.PriorOnly,
        f.Tests.Select(t => new TestUsed(t.TestId, t.Factor, t.StandardError, t.EffectiveStandardError, t.AgeDays, t.SpendRatio, t.Weight,
            t.EffectiveLogStandardError, t.BelowDetectionLimit)).ToList(),
        f.Skipped, f.Journey is { } j ? new JourneyPriorResponse(j.Share, j.Mean, j.Sd, j.Channels) : null, f.LogMean, f.LogSd,
        f.Efficiency is { } e ? new EfficiencyPriorResponse(e.AttributedValuePerSpend, e.Mean, e.Sd, e.Channels) : null);

    private static readonly IReadOnlyList<CsvColumn<ChannelFactorResponse>> Columns =
    [
        CsvColumn<ChannelFactorResponse>.Text("channel", f => f.Channel),
        CsvColumn<ChannelFactorResponse>.Factor("mean", f => f.Mean),
        CsvColumn<ChannelFactorResponse>.Factor("sd", f => f.Sd),
        CsvColumn<ChannelFactorResponse>.Factor("lower_90", f => f.Lower90),
        CsvColumn<ChannelFactorResponse>.Factor("upper_90", f => f.Upper90),
        CsvColumn<ChannelFactorResponse>.Text("prior_only", f => f.PriorOnly ? "true" : "false"),
        CsvColumn<ChannelFactorResponse>.Text("tests_used", f => string.Join(';', f.TestsUsed.Select(t => t.Id))),
        CsvColumn<ChannelFactorResponse>.Factor("journey_mean", f => f.JourneyPrior?.Mean),
        CsvColumn<ChannelFactorResponse>.Factor("journey_sd", f => f.JourneyPrior?.Sd),
        CsvColumn<ChannelFactorResponse>.Factor("efficiency_mean", f => f.EfficiencyPrior?.Mean),
        CsvColumn<ChannelFactorResponse>.Factor("efficiency_sd", f => f.EfficiencyPrior?.Sd),
        CsvColumn<ChannelFactorResponse>.Factor("log_mean", f => f.LogMean),
        CsvColumn<ChannelFactorResponse>.Factor("log_sd", f => f.LogSd),
    ];
}

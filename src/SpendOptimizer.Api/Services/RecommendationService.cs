using System.Text.Json;
using SpendOptimizer.Api.Catalogue;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Errors;
using SpendOptimizer.Api.Json;
using SpendOptimizer.Api.Observability;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Calendar;
using SpendOptimizer.Core.Economics;
using SpendOptimizer.Core.Inputs;
using SpendOptimizer.Core.Response;
using static SpendOptimizer.Api.Json.JsonNumber;

namespace SpendOptimizer.Api.Services;

/// <summary>
/// Turns a request, the stored curves and the unit economics into an allocation problem, solves it, measures the
/// plan's gain across draws of the incrementality factors and curve parameters, and shapes the answer.
/// </summary>
public sealed class RecommendationService(ResponseCurveStore curves, EconomicsStore economics, PerformanceStore performance,
    RecommendationStore recommendations, ModelCatalogue catalogue, CurveFittingService fitting, WorkspaceStore workspaces, CustomerValueService customerValue,
    TimeProvider clock)
{
    public abstract record Outcome;
    /// <summary>A plan; <paramref name="Fit"/> is the fit it made for itself when the workspace had none, to be stored with it.</summary>
    public sealed record Planned(RecommendationResponse Recommendation, UnsavedFit? Fit = null) : Outcome;
    public sealed record Invalid(Dictionary<string, string[]> Errors) : Outcome;
    public sealed record NoCurves(string Detail) : Outcome;
    public sealed record Infeasible(AllocationResult Result) : Outcome;

    /// <summary>Plans as <see cref="PlanAsync(string, CreateRecommendationRequest, CancellationToken)"/> does and stores the plan when there is one.</summary>
    public async Task<Outcome> CreateAsync(string ws, CreateRecommendationRequest request, CancellationToken ct)
    {
        var outcome = await PlanAsync(ws, request, ct);
        if (outcome is Planned planned) await recommendations.SaveAsync(ws, planned.Recommendation, planned.Fit, ct);
        return outcome;
    }

    /// <summary>
    /// Plans with the catalogue's band_mip parameters and the request's overrides. One request should be enough on
    /// Monday morning, so when there are no curves yet and none were named, they are fitted with the defaults first;
    /// that fit is stored only with the plan, so a refused request leaves the workspace as it was.
    /// </summary>
    public async Task<Outcome> PlanAsync(string ws, CreateRecommendationRequest request, CancellationToken ct)
    {
        var resolved = catalogue.Resolve(catalogue.Get(ServiceModels.BandMip), request.Parameters);
        if (PlanningParameters.From(resolved) is not { } parameters) return new Invalid(resolved.Errors.ToDictionary());
        var outcome = await PlanAsync(ws, request, parameters, await curves.GetAsync(ws, request.FitId, ct), ct);
        if (outcome is not NoCurves || request.FitId is not null) return outcome;
        var (made, errors) = await fitting.MakeAsync(ws, new FitResponseCurvesRequest(), ct);
        if (made is null) return new Invalid(errors);
        var fresh = await PlanAsync(ws, request, parameters, made.Fit, ct);
        return fresh is Planned p ? p with { Fit = made } : fresh;
    }

    /// <summary>A request made into the problem it poses, with the curves' draws and what the answer says about the week and today.</summary>
    /// <param name="ClvDraws">Per draw, one CLV per line, when some line's CLV is fitted (<see cref="ClvDraws.Draw"/>); null: CLV is known.</param>
    public sealed record Prepared(AllocationProblem Problem, IReadOnlyList<Func<double, double>[]> Draws,
        IReadOnlyList<IReadOnlyList<Func<double, double>>> LineDraws, PlanningParameters Parameters, StoredFit Fit, DateOnly Week, string Currency,
        IReadOnlyList<string> TodayWarnings, bool FitStored = true, double[][]? ClvDraws = null,
        IReadOnlyDictionary<string, ChannelClv>? Clv = null) : Outcome;

    /// <summary>A channel's CLV as the plan takes it, where that comes from, and both the typed and the fitted figure beside it.</summary>
    public sealed record ChannelClv(double? Used, ClvSource Source, double? Typed, double? Fitted);

    /// <summary>
    /// The problem a request poses on the stored curves (the newest fit, or the one named), with the catalogue's band_mip
    /// parameters and the request's overrides: <see cref="Prepared"/>, or why not. With no curves and none named, they are
    /// fitted with the defaults for this answer alone and not stored.
    /// </summary>
    public async Task<Outcome> PrepareAsync(string ws, CreateRecommendationRequest request, CancellationToken ct)
    {
        var resolved = catalogue.Resolve(catalogue.Get(ServiceModels.BandMip), request.Parameters);
        if (PlanningParameters.From(resolved) is not { } parameters) return new Invalid(resolved.Errors.ToDictionary());
        var outcome = await PrepareAsync(ws, request, parameters, await curves.GetAsync(ws, request.FitId, ct), ct);
        if (outcome is not NoCurves || request.FitId is not null) return outcome;
        var (made, errors) = await fitting.MakeAsync(ws, new FitResponseCurvesRequest(), ct);
        if (made is null) return new Invalid(errors);
        var fresh = await PrepareAsync(ws, request, parameters, made.Fit, ct);
        return fresh is Prepared p
            ? p with { FitStored = false, TodayWarnings = [.. p.TodayWarnings, "the workspace had no curves: they were fitted with the defaults for this answer and not stored"] }
            : fresh;
    }

    /// <summary>The problem a request poses on <paramref name="fit"/>, whatever fit the request names, so several requests may share one.</summary>
    public async Task<Outcome> PrepareAsync(string ws, CreateRecommendationRequest request, StoredFit fit, CancellationToken ct)
    {
        var resolved = catalogue.Resolve(catalogue.Get(ServiceModels.BandMip), request.Parameters);
        if (PlanningParameters.From(resolved) is not { } parameters) return new Invalid(resolved.Errors.ToDictionary());
        return await PrepareAsync(ws, request, parameters, fit, ct);
    }

    private async Task<Outcome> PrepareAsync(string ws, CreateRecommendationRequest request, PlanningParameters parameters, StoredFit? fit, CancellationToken ct)
    {
        if (fit is null || fit.Curves.Count == 0)
            return new NoCurves(request.FitId is null ? "No response curves yet: POST …/response-curves/fit first." : $"No fit {request.FitId}.");

        var channels = fit.Curves.Select(c => c.Channel).ToHashSet();
        var errors = RequestErrors(request, parameters, channels);
        var settings = await workspaces.SettingsAsync(ws, ct);
        var week = request.Week ?? Weeks.Coming(settings.Today(clock), settings.WeekStart);
        if (request.Week is { } asked && !errors.ContainsKey("week") && WeekStartError(asked, settings.WeekStart) is { } notAWeek) errors["week"] = [notAWeek];
        var today = await TodayAsync(ws, request.Current, channels, errors, ct);
        var limitsApply = request.LimitScope != LimitScope.None;
        var typed = await economics.ListAsync(ws, ct);
        var (units, clvDraws, fitted) = await customerValue.ResolveWithDrawsAsync(ws, typed, channels, errors, ct, withFitted: true);
        var lines = Lines(fit, units, today.Spend, request, parameters.Objective, limitsApply, errors);
        var (payback, clvCac) = parameters.Limits(limitsApply);
        var problem = new AllocationProblem(lines, request.Budget, request.BudgetMode, request.BudgetTolerance, parameters.BandMin, parameters.BandMax,
            payback, clvCac, request.LimitScope == LimitScope.None ? LimitScope.PerChannel : request.LimitScope, parameters.Objective,
            UnreachableLimits: request.UnreachableLimits, Target: request.Target is { } t ? new BudgetTarget(t.ClvCacMin, t.PaybackMaxMonths, t.MarginalValueMin) : null);
        if (problem.Validate() is { } invalid) errors["parameters"] = [invalid];
        if (errors.Count > 0) return new Invalid(errors);

        var draws = PlanDraws.Draw(fit.Curves.Select(c => new CurveBelief(c.Curve, c.Covariance, c.FactorMean, c.FactorSd)).ToList(),
            parameters.Draws, request.Seed);
        var lineDraws = lines.Select((_, i) => (IReadOnlyList<Func<double, double>>)draws.Select(d => d[i]).ToList()).ToList();
        problem = problem with { Lines = lines.Select((l, i) =>
        {
            var (rise, fall) = Caution.Weights(l.Response, lineDraws[i], l.CurrentSpend, problem.BandMax, parameters.CautionQuantile);
            return l with { RiseWeight = rise, FallWeight = fall, LimitResponse = LimitConfidence.Curve(lineDraws[i], parameters.LimitConfidence) };
        }).ToList() };
        var clv = ClvDraws.Draw(problem.Lines, [.. problem.Lines.Select(l => (IReadOnlyList<double>?)clvDraws.GetValueOrDefault(l.Name))], parameters.Draws, request.Seed);
        var channelClv = new Dictionary<string, ChannelClv>();
        foreach (var l in problem.Lines)
            if (CustomerValue.For(l.Name, typed) is { } own)
                channelClv[l.Name] = new ChannelClv(Finite(l.Clv), own.ClvSource, Finite(CustomerValue.Typed(own)), fitted.GetValueOrDefault(l.Name)?.Point);
        return new Prepared(problem, draws, lineDraws, parameters, fit, week, settings.Currency, today.Warnings, ClvDraws: clv, Clv: channelClv);
    }

    private async Task<Outcome> PlanAsync(string ws, CreateRecommendationRequest request, PlanningParameters parameters, StoredFit? fit, CancellationToken ct)
    {
        var outcome = await PrepareAsync(ws, request, parameters, fit, ct);
        if (outcome is not Prepared prepared) return outcome;
        var (problem, draws, lineDraws, week) = (prepared.Problem, prepared.Draws, prepared.LineDraws, prepared.Week);
        var (result, targeted) = Solve(problem);
        if (!result.HasPlan) return new Infeasible(result);

        var plan = result.Lines.Select(l => l.Recommended).ToArray();
        var clv = prepared.ClvDraws;
        var gain = PlanUncertainty.Evaluate(problem, plan, draws, clv);
        // A channel's test value is what knowing its curve would change in the plan at the budget the target set.
        var valued = targeted is null ? problem : problem with { BudgetMode = BudgetMode.Equal, Budget = targeted.Budget };
        var testValues = InformationValue.PerLine(valued, plan, draws, parameters.TestValueLines, clv: clv);
        var stale = Weeks.Staleness(week, await performance.LastDateAsync(ws, ct));
        var source = request.Current is null ? CurrentSource.LastWeek : CurrentSource.Request;
        var planned = result.Lines.Select((l, i) =>
        {
            var (payback, clvCac) = LimitConfidence.Probabilities(problem.Lines[i], problem, l.Recommended, lineDraws[i], clv?.Select(d => d[i]).ToList());
            var lineClv = prepared.Clv?.GetValueOrDefault(l.Name);
            return RecommendationLine.From(l, new LineExtras(problem.Lines[i].RiseWeight, problem.Lines[i].FallWeight, testValues[i], source, payback, clvCac,
                lineClv?.Used, lineClv?.Source, lineClv?.Typed, lineClv?.Fitted));
        }).ToList();
        var response = new RecommendationResponse(Guid.CreateVersion7(), week, prepared.Currency, clock.GetUtcNow(), prepared.Fit.Id,
            parameters.ObjectiveName, result.CurrentObjective, result.RecommendedObjective,
            new GainSummary(result.Gain, Finite(gain.P10), Finite(gain.P50), Finite(gain.P90), Finite(gain.ProbabilityPositive), gain.Draws),
            new SolverSummary(result.Status.ToString().ToLowerInvariant(), result.RelativeGap, result.SolveSeconds, result.ApproximationError),
            planned, JsonSerializer.SerializeToElement(new { request, parameters = parameters.Values }, ApiJson.Options),
            [.. stale, .. prepared.TodayWarnings, .. planned.Where(l => l.Unreachable is not null).Select(l => Reasons.Warn(l, problem))],
            targeted is null ? null : TargetSummary(targeted));
        return new Planned(response);
    }

    /// <summary>The best plan of a prepared problem, and under budget_mode target the budget the target set.</summary>
    public static (AllocationResult Plan, TargetBudgetResult? Targeted) Solve(AllocationProblem problem)
    {
        TargetBudgetResult? targeted = null;
        var result = Telemetry.Solve("allocation", () =>
            {
                targeted = problem.BudgetMode == BudgetMode.Target ? BudgetFromTarget.Solve(problem) : null;
                return targeted?.Plan ?? Allocator.Solve(problem);
            },
            r => new(r.Status.ToString(), r.SolveSeconds, r.RelativeGap, r.HasPlan, r.CurrentObjective, r.RecommendedObjective));
        return (result, targeted);
    }

    private static BudgetTargetSummary TargetSummary(TargetBudgetResult r)
    {
        var binding = Reasons.Code(r.Binding);
        var explanation = r.Binding switch
        {
            BudgetBinding.BandUpperEdge => $"Every channel is at the most the band, its bounds and limits allow, and {r.Target.Name} {r.Target.Value:G4} still holds: the band binds first.",
            BudgetBinding.BandLowerEdge => $"Every channel is at the least the band, its bounds and limits allow, and the next unit of budget still returns less than {r.Target.Value:G4}.",
            _ when r.Target.MinMarginalValue is not null => $"Past this budget no further budget returns {r.Target.Value:G4} per unit.",
            _ => $"Past this budget no plan keeps {r.Target.Name} {r.Target.Value:G4}.",
        };
        return new BudgetTargetSummary(r.Target.Name, r.Target.Value, r.Budget, binding, explanation, r.Least, r.Most, Finite(r.MarginalValue), r.Step,
            Finite(r.ClvCac), Finite(r.PaybackMonths));
    }

    /// <summary>
    /// Each fitted channel as a line to plan: today's spend, its steady-state curve, unit economics, lock and bounds. What the
    /// objective or the limits need and the workspace lacks (unit economics, new customers) goes into <paramref name="errors"/> by field.
    /// </summary>
    public static List<AllocationLine> Lines(StoredFit fit, IReadOnlyList<UnitEconomics> rows, IReadOnlyDictionary<string, double> today,
        CreateRecommendationRequest request, Objective objective, bool limitsApply, Dictionary<string, string[]> errors)
    {
        var lines = new List<AllocationLine>();
        foreach (var c in fit.Curves)
        {
            var e = CustomerValue.For(c.Channel, rows);
            if (e is null && (limitsApply || objective is Objective.Clv or Objective.Profit))
                errors[$"economics.{c.Channel}"] = [$"no unit economics for '{c.Channel}' and no 'all' row; PUT …/economics first (CLV and the limits need them)"];
            else if (c.NewCustomersPerConversion <= 0 && (limitsApply || objective is Objective.Clv or Objective.Profit))
                errors[$"performance.{c.Channel}"] = [$"'{c.Channel}' has no new_customers in its performance data, so its CAC, payback and CLV cannot be known; " +
                    "load the new_customers column, or plan with objective revenue or conversions and limit_scope none"];
            var bounds = request.Bounds?.GetValueOrDefault(c.Channel);
            lines.Add(new AllocationLine(c.Channel, today.GetValueOrDefault(c.Channel), c.Curve.SteadyState, c.NewCustomersPerConversion, c.RevenuePerConversion,
                e is null ? 0 : CustomerValue.Clv(e), e is null ? 0 : e.ArpaMonthly * e.GrossMargin,
                request.Locks?.Contains(c.Channel) == true, bounds?.Min, bounds?.Max));
        }
        return lines;
    }

    /// <summary>
    /// What is wrong with a request in itself, by field: its budget, band, week, and (when the fitted channels are known)
    /// the channels its locks, bounds and current name. The one check of a recommendation request, used by POST
    /// …/recommendations and by PUT …/schedule for the request each run will send.
    /// </summary>
    /// <param name="parameters">Null when the parameters themselves were refused (their errors are reported apart).</param>
    public static Dictionary<string, string[]> RequestErrors(CreateRecommendationRequest request, PlanningParameters? parameters, IReadOnlySet<string>? channels)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Budget is { } budget && !(budget is >= 0 and <= MaxWeeklySpend))
            errors["budget"] = [$"must be a weekly budget of 0 or more, at most {MaxWeeklySpend:0e0}"];
        if (!(request.BudgetTolerance is >= 0 and <= 0.5)) errors["budget_tolerance"] = ["must be between 0 and 0.5"];
        foreach (var (field, message) in TargetErrors(request)) errors[field] = [message];
        if (request.Week is { } w && !DateBounds.Contains(w)) errors["week"] = [$"is outside {DateBounds.Describe()}"];
        if (parameters is not null && parameters.BandMin > parameters.BandMax)
            errors["parameters.band_min"] = [$"must not be greater than band_max ({parameters.BandMax})"];
        foreach (var (c, b) in request.Bounds ?? [])
            if (b is null || b.Min is < 0 || b.Max is < 0 || b.Min > b.Max || b.Min > MaxWeeklySpend || b.Max > MaxWeeklySpend)
                errors[$"bounds.{c}"] = [$"needs 0 ≤ min ≤ max ≤ {MaxWeeklySpend:0e0}"];
        foreach (var (c, s) in request.Current ?? [])
            if (!(s is >= 0 and <= MaxWeeklySpend)) errors[$"current.{c}"] = [$"must be a weekly spend of 0 or more, at most {MaxWeeklySpend:0e0}"];
        if (channels is null) return errors;

        var known = string.Join(", ", channels.Order());
        foreach (var unknown in (request.Locks ?? []).Concat(request.Bounds?.Keys.AsEnumerable() ?? []).Where(c => !channels.Contains(c)).Distinct())
            errors[$"channels.{unknown}"] = [$"'{ProblemBounds.Excerpt(unknown)}' has no fitted curve; channels are {known}"];
        if (request.Current is { } current)
        {
            foreach (var c in current.Keys.Where(c => !channels.Contains(c)))
                errors[$"current.{c}"] = [$"'{ProblemBounds.Excerpt(c)}' has no fitted curve; channels are {known}"];
            foreach (var c in channels.Where(c => !current.ContainsKey(c)).Order())
                errors[$"current.{c}"] = [$"'{c}' has a fitted curve but no spend in current: give every fitted channel's weekly spend (0 for one that spends nothing now)"];
        }
        return errors;
    }

    /// <summary>A budget target goes with budget_mode target and nothing else sets the budget: exactly one of its three, each in range.</summary>
    private static IEnumerable<(string Field, string Message)> TargetErrors(CreateRecommendationRequest request)
    {
        var isTarget = request.BudgetMode == BudgetMode.Target;
        if (request.Target is not { } t)
        {
            if (isTarget) yield return ("target", "budget_mode target plans one week from a target and needs one: clv_cac_min, payback_max_months or marginal_value_min");
            yield break;
        }
        if (!isTarget) yield return ("target", "is used only with budget_mode target (the budget is then what the target allows)");
        if (isTarget && request.Budget is not null) yield return ("budget", "budget_mode target sets the budget itself; leave budget out");
        var given = new[] { t.ClvCacMin, t.PaybackMaxMonths, t.MarginalValueMin }.Count(v => v is not null);
        if (given != 1) yield return ("target", $"give exactly one of clv_cac_min, payback_max_months and marginal_value_min ({given} given)");
        if (t.ClvCacMin is { } r && !(r is > 0 and <= MaxRatio)) yield return ("target.clv_cac_min", $"must be above 0 and at most {MaxRatio:0e0}");
        if (t.PaybackMaxMonths is { } p && !(p is > 0 and <= MaxRatio)) yield return ("target.payback_max_months", $"must be above 0 and at most {MaxRatio:0e0}");
        if (t.MarginalValueMin is { } m && !(m is >= 0 and <= MaxRatio)) yield return ("target.marginal_value_min", $"must be 0 or more, at most {MaxRatio:0e0}");
    }

    /// <summary>Beyond any sensible ratio or return per unit of spend, and far from where the target rows lose precision.</summary>
    private const double MaxRatio = 1e6;

    /// <summary>
    /// The errors <see cref="PlanAsync(string, CreateRecommendationRequest, CancellationToken)"/> would find in the request itself
    /// today, without planning: its parameters, its values, and the channels it names against the fit it would use (when there is one).
    /// What the workspace's data still lacks (a complete week, unit economics) is not the request's fault and is not checked.
    /// </summary>
    public async Task<Dictionary<string, string[]>> CheckAsync(string ws, CreateRecommendationRequest request, CancellationToken ct)
    {
        var resolved = catalogue.Resolve(catalogue.Get(ServiceModels.BandMip), request.Parameters);
        var errors = resolved.Errors.ToDictionary();
        var fit = await curves.GetAsync(ws, request.FitId, ct);
        if (fit is null && request.FitId is not null) errors["fit_id"] = [$"there is no fit {request.FitId}"];
        foreach (var (k, v) in RequestErrors(request, PlanningParameters.From(resolved), fit is null || fit.Curves.Count == 0 ? null : fit.Curves.Select(c => c.Channel).ToHashSet()))
            errors[k] = v;
        return errors;
    }

    /// <summary>
    /// Today's weekly spend per fitted channel: the request's <c>current</c>, which must name every fitted channel and
    /// no other, or else the last complete loaded week (a fitted channel without data that week spends 0, and is named).
    /// </summary>
    public async Task<(IReadOnlyDictionary<string, double> Spend, IReadOnlyList<string> Warnings)> TodayAsync(string ws,
        Dictionary<string, double>? current, IReadOnlySet<string> channels, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        if (current is not null) return (current, []); // checked in RequestErrors
        if (await performance.LastCompleteWeekAsync(ws, ct) is not { } last)
        {
            errors["current"] = ["no week of the loaded performance data is complete; give today's weekly spend per channel as current"];
            return (new Dictionary<string, double>(), []);
        }
        var missing = channels.Where(c => !last.Spend.ContainsKey(c)).Order().ToList();
        return (last.Spend, missing.Count == 0 ? [] :
            [$"{string.Join(", ", missing)}: no data in the week of {last.Week:yyyy-MM-dd}, the last complete week, so today's spend is taken as 0; give current to say otherwise"]);
    }

    /// <summary>Why a planned week cannot start on <paramref name="asked"/>, or null when it is on the workspace's week start.</summary>
    public static string? WeekStartError(DateOnly asked, DayOfWeek weekStart) => asked.DayOfWeek == weekStart ? null
        : $"{asked:yyyy-MM-dd} is a {asked.DayOfWeek}; the workspace's weeks start on {weekStart}, so this week is {Weeks.StartOf(asked, weekStart):yyyy-MM-dd}";

    /// <summary>Beyond any advertiser's week, and far enough from overflow that sums of spends stay exact enough to solve.</summary>
    public const double MaxWeeklySpend = 1e12;
}

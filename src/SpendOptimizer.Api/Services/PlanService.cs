using SpendOptimizer.Api.Catalogue;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Observability;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Calendar;
using SpendOptimizer.Core.Inputs;
using SpendOptimizer.Core.Planning;
using SpendOptimizer.Core.Response;
using static SpendOptimizer.Api.Json.JsonNumber;

namespace SpendOptimizer.Api.Services;

/// <summary>
/// Turns a path request, the stored curves, the unit economics and the loaded spend history into a path problem, solves it and
/// shapes the channel × week table. Checks what it shares with a recommendation the recommendation's way.
/// </summary>
public sealed class PlanService(ResponseCurveStore curves, EconomicsStore economics, PerformanceStore performance, ModelCatalogue catalogue,
    RecommendationService recommendations, WorkspaceStore workspaces, PlanStore plans, CustomerValueService customerValue, TimeProvider clock)
{
    public abstract record Outcome;
    public sealed record Planned(PlanResponse Plan) : Outcome;
    public sealed record Invalid(Dictionary<string, string[]> Errors) : Outcome;
    public sealed record NoCurves(string Detail) : Outcome;
    public sealed record Infeasible(PathResult Result) : Outcome;

    public async Task<Outcome> PlanAsync(string ws, CreatePlanRequest request, CancellationToken ct)
    {
        var resolved = catalogue.Resolve(catalogue.Get(ServiceModels.BandMip), request.Parameters);
        if (PlanningParameters.From(resolved) is not { } parameters) return new Invalid(resolved.Errors.ToDictionary());
        var errors = PathErrors(request);
        var fit = await curves.GetAsync(ws, request.FitId, ct);
        if (fit is null || fit.Curves.Count == 0)
        {
            if (errors.Count > 0) return new Invalid(errors);
            return new NoCurves(request.FitId is null ? "No response curves yet: POST …/response-curves/fit first." : $"No fit {request.FitId}.");
        }

        var channels = fit.Curves.Select(c => c.Channel).ToHashSet();
        var asRecommendation = request.AsRecommendation();
        foreach (var (k, v) in RecommendationService.RequestErrors(asRecommendation, parameters, channels)) errors[k] = v;
        var settings = await workspaces.SettingsAsync(ws, ct);
        var week = request.Week ?? Weeks.Coming(settings.Today(clock), settings.WeekStart);
        if (request.Week is { } asked && !errors.ContainsKey("week") && RecommendationService.WeekStartError(asked, settings.WeekStart) is { } notAWeek)
            errors["week"] = [notAWeek];
        var today = await recommendations.TodayAsync(ws, request.Current, channels, errors, ct);
        var limitsApply = request.LimitScope != LimitScope.None;
        var units = await customerValue.ResolveAsync(ws, await economics.ListAsync(ws, ct), channels, errors, ct);
        var lines = RecommendationService.Lines(fit, units, today.Spend, asRecommendation, parameters.Objective, limitsApply, errors);
        var (payback, clvCac) = parameters.Limits(limitsApply);
        var rules = new AllocationProblem(lines, request.Budget, request.BudgetMode, request.BudgetTolerance, parameters.BandMin, parameters.BandMax,
            payback, clvCac, request.LimitScope == LimitScope.None ? LimitScope.PerChannel : request.LimitScope, parameters.Objective,
            UnreachableLimits: request.UnreachableLimits);
        if (errors.Count > 0) return new Invalid(errors);

        var (starts, warnings) = StartAdstocks(fit, await performance.WeeklyAsync(ws, null, null, ct), today.Spend, week, settings.WeekStart);
        var problem = new PathProblem(rules, fit.Curves.Select((c, i) => new PathCurve(c.Curve, starts[i])).ToList(), request.HorizonWeeks!.Value,
            request.WeeklyBudgets, request.TotalBudget, request.WeeklyMin, request.WeeklyMax, request.BlendedOver);
        if (problem.Validate() is { } invalid) return new Invalid(new() { ["parameters"] = [invalid] });
        var result = Telemetry.Solve("path", () => PathPlanner.Solve(problem),
            r => new(r.Status.ToString(), r.SolveSeconds, r.RelativeGap, r.HasPlan, r.CurrentValue, r.PlanValue));
        if (!result.HasPlan) return new Infeasible(result);
        var draws = PlanDraws.DrawCurves([.. fit.Curves.Select(c => new CurveBelief(c.Curve, c.Covariance, c.FactorMean, c.FactorSd))], parameters.Draws, request.Seed);
        result = result with { Uncertainty = PathUncertainty.Evaluate(problem, result.Spend(problem), draws) };
        var plan = Shape(problem, result, week, clock.GetUtcNow(), settings.Currency, fit.Id, parameters.ObjectiveName, [.. today.Warnings, .. warnings]);
        await plans.SaveAsync(ws, request, plan, ct);
        return new Planned(plan);
    }

    /// <summary>What is wrong with the path-only fields, by field.</summary>
    private static Dictionary<string, string[]> PathErrors(CreatePlanRequest r)
    {
        var errors = new Dictionary<string, string[]>();
        const double most = RecommendationService.MaxWeeklySpend;
        if (r.HorizonWeeks is not { } h) errors["horizon_weeks"] = [$"is required: the number of weeks to plan, 1 to {PathProblem.MaxHorizonWeeks}"];
        else if (h is < 1 or > PathProblem.MaxHorizonWeeks) errors["horizon_weeks"] = [$"must be between 1 and {PathProblem.MaxHorizonWeeks}"];
        var budgets = new[] { r.Budget is not null, r.WeeklyBudgets is not null, r.TotalBudget is not null }.Count(x => x);
        if (budgets > 1) errors["budget"] = ["give one of budget, weekly_budgets and total_budget"];
        if (r.WeeklyBudgets is { } weekly)
        {
            if (r.HorizonWeeks is { } weeks && weekly.Count != weeks) errors["weekly_budgets"] = [$"has {weekly.Count} budgets for {weeks} weeks: give one per week"];
            for (var i = 0; i < weekly.Count; i++)
                if (!(weekly[i] is >= 0 and <= most)) errors[$"weekly_budgets[{i}]"] = [$"must be a weekly budget of 0 or more, at most {most:0e0}"];
        }
        if (r.TotalBudget is { } total && !(total is >= 0 and <= most * PathProblem.MaxHorizonWeeks))
            errors["total_budget"] = [$"must be 0 or more, at most {most * PathProblem.MaxHorizonWeeks:0e0}"];
        foreach (var (name, value) in new[] { ("weekly_min", r.WeeklyMin), ("weekly_max", r.WeeklyMax) })
        {
            if (value is null) continue;
            if (r.TotalBudget is null) errors[name] = ["paces a total_budget: give total_budget with it"];
            else if (!(value is >= 0 and <= most)) errors[name] = [$"must be a weekly spend of 0 or more, at most {most:0e0}"];
        }
        if (r.WeeklyMin > r.WeeklyMax && !errors.ContainsKey("weekly_min")) errors["weekly_min"] = [$"must not be greater than weekly_max ({r.WeeklyMax})"];
        return errors;
    }

    /// <summary>
    /// Each channel's adstock entering the first planned week: the recursion over its loaded weekly spend (started at the first week's
    /// steady state), carried through any weeks between the data and the plan at today's spend. A channel with no history starts
    /// at today's steady state, s / (1 − θ).
    /// </summary>
    private static (double[] Starts, List<string> Warnings) StartAdstocks(StoredFit fit, IReadOnlyList<WeeklyPerformance> history,
        IReadOnlyDictionary<string, double> today, DateOnly firstWeek, DayOfWeek weekStart)
    {
        var warnings = new List<string>();
        var starts = new double[fit.Curves.Count];
        var unseen = new List<string>();
        var gaps = new List<string>();
        for (var i = 0; i < fit.Curves.Count; i++)
        {
            var (channel, theta) = (fit.Curves[i].Channel, fit.Curves[i].Curve.Theta);
            var s0 = today.GetValueOrDefault(channel);
            var rows = history.Where(w => w.Channel == channel && w.Week < firstWeek).OrderBy(w => w.Week).ToList();
            if (rows.Count == 0)
            {
                starts[i] = s0 / (1 - theta);
                unseen.Add(channel);
                continue;
            }
            var adstock = HillAdstock.Adstock(rows.Select(r => r.Spend).ToList(), theta)[^1];
            var missing = (firstWeek.DayNumber - Weeks.StartOf(rows[^1].Week, weekStart).DayNumber) / 7 - 1;
            for (var k = 0; k < missing; k++) adstock = s0 + theta * adstock;
            if (missing > 0) gaps.Add($"{channel} ({missing})");
            starts[i] = adstock;
        }
        if (unseen.Count > 0)
            warnings.Add($"{string.Join(", ", unseen)}: no loaded spend before the first planned week, so the carry-over into it is taken as today's spend's steady state.");
        if (gaps.Count > 0)
            warnings.Add($"Weeks between the loaded data and the first planned week are taken at today's spend for the carry-over: {string.Join(", ", gaps)} weeks.");
        return (starts, warnings);
    }

    private static PlanResponse Shape(PathProblem problem, PathResult result, DateOnly week, DateTimeOffset createdAt, string currency, Guid fitId, string objective, IReadOnlyList<string> warnings)
    {
        static double? Cac(double spend, double customers) => customers > 0 ? spend / customers : null;
        var channels = problem.Lines.Select((l, i) =>
        {
            var cells = result.Cells.Where(c => c.Channel == l.Name).OrderBy(c => c.Week).Select(c => new PlanCell(week.AddDays(7 * c.Week), c.Spend, c.PreviousSpend, c.Change,
                c.Adstock, c.Conversions, c.Customers, c.Revenue, c.Value, Finite(c.Cac), Finite(c.PaybackMonths), Finite(c.ClvCac), c.Reason, Reasons.Explain(c.Reason),
                UnreachableLimitSummary.From(c.Unreachable))).ToList();
            var after = result.AfterHorizon[i];
            return new PlanChannel(l.Name, l.CurrentSpend, problem.Curves[i].StartAdstock, problem.Curves[i].Curve.Theta, cells, after.Conversions, after.Value);
        }).ToList();
        var weeks = Enumerable.Range(0, problem.HorizonWeeks).Select(t =>
        {
            var cells = channels.Select(c => c.Weeks[t]).ToList();
            var (spend, customers) = (cells.Sum(c => c.Spend), cells.Sum(c => c.Customers));
            return new PlanWeek(week.AddDays(7 * t), spend, cells.Sum(c => c.Conversions), customers, cells.Sum(c => c.Revenue), cells.Sum(c => c.Value), Cac(spend, customers));
        }).ToList();
        var totalSpend = weeks.Sum(w => w.Spend);
        var totalCustomers = weeks.Sum(w => w.Customers);
        var totals = new PlanTotals(totalSpend, weeks.Sum(w => w.Conversions), totalCustomers, weeks.Sum(w => w.Revenue), Cac(totalSpend, totalCustomers),
            result.AfterHorizon.Sum(a => a.Conversions), result.PlanValue, result.CurrentValue, result.Gain);
        if (result.Uncertainty is { } u)
            totals = totals with
            {
                ValueP10 = Finite(u.ValueP10), ValueP50 = Finite(u.ValueP50), ValueP90 = Finite(u.ValueP90),
                GainP10 = Finite(u.Gain.P10), GainP50 = Finite(u.Gain.P50), GainP90 = Finite(u.Gain.P90),
                GainProbabilityPositive = Finite(u.Gain.ProbabilityPositive), Draws = u.Gain.Draws,
            };
        return new PlanResponse(Guid.CreateVersion7(createdAt), week, problem.HorizonWeeks, currency, createdAt, fitId, objective, totals, weeks, channels,
            new PlanSolver(result.Status.ToString().ToLowerInvariant(), result.RelativeGap, result.SolveSeconds, result.ApproximationError, result.Binaries, result.Constraints),
            warnings);
    }
}

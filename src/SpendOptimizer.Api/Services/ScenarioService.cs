using System.Diagnostics;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Observability;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Calendar;
using SpendOptimizer.Core.Economics;
using static SpendOptimizer.Api.Json.JsonNumber;

namespace SpendOptimizer.Api.Services;

/// <summary>
/// Plans named variants of a week side by side: every variant is posed on the same fit, so their values, gains and blended
/// economics compare, and a variant no plan satisfies is a row that says why rather than a refusal of the rest.
/// </summary>
public sealed class ScenarioService(RecommendationService planner, ResponseCurveStore curves, CurveFittingService fitting,
    PerformanceStore performance, ScenarioStore store, TimeProvider clock)
{
    public const int MaxScenarios = 10;
    public const int MaxNameLength = 100;
    public const int MaxTitleLength = 200;

    public sealed record Compared(ScenarioComparisonResponse Comparison) : RecommendationService.Outcome;

    /// <summary>Plans every variant and stores the comparison when each could be posed (an infeasible one included).</summary>
    public async Task<RecommendationService.Outcome> CreateAsync(string ws, CreateScenariosRequest request, CancellationToken ct)
    {
        var errors = RequestErrors(request);
        if (errors.Count > 0) return new RecommendationService.Invalid(errors);
        var variants = request.Scenarios!;

        var fit = await curves.GetAsync(ws, request.FitId, ct);
        var warnings = new List<string>();
        var fitStored = true;
        if (fit is null || fit.Curves.Count == 0)
        {
            if (request.FitId is not null) return new RecommendationService.NoCurves($"No fit {request.FitId}.");
            var (made, fitErrors) = await fitting.MakeAsync(ws, new FitResponseCurvesRequest(), ct);
            if (made is null) return new RecommendationService.Invalid(fitErrors);
            (fit, fitStored) = (made.Fit, false);
            warnings.Add("the workspace had no curves: they were fitted with the defaults for this answer and not stored");
        }

        var prepared = new RecommendationService.Prepared[variants.Count];
        for (var i = 0; i < variants.Count; i++)
            switch (await planner.PrepareAsync(ws, variants[i].Request!, fit, ct))
            {
                case RecommendationService.Prepared p:
                    prepared[i] = p;
                    break;
                case RecommendationService.Invalid invalid:
                    foreach (var (k, v) in invalid.Errors) errors[$"scenarios[{i}].request.{k}"] = v;
                    break;
                case var other:
                    return other;
            }
        if (errors.Count > 0) return new RecommendationService.Invalid(errors);

        var lastDay = await performance.LastDateAsync(ws, ct);
        var watch = Stopwatch.StartNew();
        var rows = new ScenarioResult[variants.Count];
        var solved = 0;
        WorkProgress.Report("solving scenarios", 0, variants.Count, "scenarios");
        await Parallel.ForAsync(0, variants.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(2, Environment.ProcessorCount), CancellationToken = ct },
            (i, _) =>
            {
                rows[i] = Row(variants[i].Name!.Trim(), variants[i].Request!, prepared[i], [.. warnings, .. Weeks.Staleness(prepared[i].Week, lastDay)]);
                WorkProgress.Report("solving scenarios", Interlocked.Increment(ref solved), variants.Count, "scenarios");
                return ValueTask.CompletedTask;
            });
        // To the microsecond the database keeps, so the answer's time is the stored one and a page's cursor matches its row.
        var now = clock.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % 10));
        var comparison = new ScenarioComparisonResponse(Guid.CreateVersion7(), string.IsNullOrWhiteSpace(request.Name) ? null : request.Name.Trim(),
            now, prepared[0].Currency, fitStored ? fit.Id : null, fit.Curves.Select(c => c.Channel).ToList(), watch.Elapsed.TotalSeconds, rows);
        await store.SaveAsync(ws, request, comparison, ct);
        return new Compared(comparison);
    }

    /// <summary>One variant solved as POST …/recommendations solves it, measured as its row of the table.</summary>
    private static ScenarioResult Row(string name, CreateRecommendationRequest request, RecommendationService.Prepared prepared, IReadOnlyList<string> warnings)
    {
        var problem = prepared.Problem;
        var (result, targeted) = RecommendationService.Solve(problem);
        var objective = prepared.Parameters.ObjectiveName;
        var budget = targeted?.Budget ?? request.Budget ?? problem.TotalCurrent;
        warnings = [.. warnings, .. prepared.TodayWarnings];
        if (!result.HasPlan)
            return new ScenarioResult(name, "infeasible", string.Join(" ", result.Clashes.Select(c => c.Explanation)), prepared.Week, objective, budget, null,
                Allocator.Value(problem, problem.Lines.Select(l => l.CurrentSpend).ToArray()), null, null, null, null, null, null, null, null, null, null, warnings);

        var plan = result.Lines.Select(l => l.Recommended).ToArray();
        var gain = PlanUncertainty.Evaluate(problem, plan, prepared.Draws, prepared.ClvDraws);
        var spend = plan.Sum();
        var (clvCac, payback) = BudgetFromTarget.Blended(problem, result);
        return new ScenarioResult(name, result.Status.ToString().ToLowerInvariant(), null, prepared.Week, objective, budget, spend,
            result.CurrentObjective, result.RecommendedObjective, result.Gain, Finite(gain.P10), Finite(gain.P50), Finite(gain.P90), Finite(gain.ProbabilityPositive),
            Finite(CustomerValue.Cac(spend, result.Lines.Sum(l => l.Customers))), Finite(payback), Finite(clvCac),
            result.Lines.ToDictionary(l => l.Name, l => l.Recommended), warnings);
    }

    /// <summary>What is wrong with the comparison itself, by field: the list, each variant's name, and what a variant may not hold.</summary>
    private static Dictionary<string, string[]> RequestErrors(CreateScenariosRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Name is { Length: > MaxTitleLength }) errors["name"] = [$"must be at most {MaxTitleLength} characters"];
        if (request.Scenarios is not { Count: > 0 } variants)
        {
            errors["scenarios"] = [$"give 1 to {MaxScenarios} variants, each {{\"name\": …, \"request\": {{…}}}}"];
            return errors;
        }
        if (variants.Count > MaxScenarios)
        {
            errors["scenarios"] = [$"at most {MaxScenarios} variants are compared at once ({variants.Count} given)"];
            return errors;
        }
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < variants.Count; i++)
        {
            var at = $"scenarios[{i}]";
            if (variants[i] is not { } v)
            {
                errors[at] = ["must be an object with a name and a request"];
                continue;
            }
            var name = v.Name?.Trim();
            if (string.IsNullOrEmpty(name)) errors[$"{at}.name"] = ["is required: the variant's name in the table"];
            else if (name.Length > MaxNameLength) errors[$"{at}.name"] = [$"must be at most {MaxNameLength} characters"];
            else if (name.Any(char.IsControl)) errors[$"{at}.name"] = ["must not hold control characters"];
            else if (seen.TryGetValue(name, out var first)) errors[$"{at}.name"] = [$"'{name}' is already the name of scenarios[{first}]; names must differ"];
            else seen[name] = i;
            if (v.HorizonWeeks is not null)
                errors[$"{at}.horizon_weeks"] = ["variants are planned one week at a time here; leave horizon_weeks out (POST …/plans plans a path of weeks)"];
            if (v.Request is null) errors[$"{at}.request"] = ["is required: the body POST …/recommendations would take ({} plans today's budget)"];
            else if (v.Request.FitId is { } own && own != request.FitId)
                errors[$"{at}.request.fit_id"] = ["every variant is planned on the comparison's fit; set fit_id once, beside scenarios"];
        }
        return errors;
    }
}

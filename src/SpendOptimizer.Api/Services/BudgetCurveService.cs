using System.Diagnostics;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Core.Allocation;
using static SpendOptimizer.Api.Json.JsonNumber;

namespace SpendOptimizer.Api.Services;

/// <summary>Poses a recommendation request once and plans it at each budget of a range, the points two at a time.</summary>
public sealed class BudgetCurveService(RecommendationService planner)
{
    public sealed record Curved(BudgetCurveResponse Curve) : RecommendationService.Outcome;

    public async Task<RecommendationService.Outcome> CurveAsync(string ws, BudgetCurveRequest request, CancellationToken ct)
    {
        var errors = RangeErrors(request);
        var outcome = await planner.PrepareAsync(ws, request.AsRecommendation(), ct);
        if (outcome is RecommendationService.Invalid invalid)
            foreach (var (k, v) in invalid.Errors) errors[k] = v;
        if (errors.Count > 0) return new RecommendationService.Invalid(errors);
        if (outcome is not RecommendationService.Prepared prepared) return outcome;

        var clock = Stopwatch.StartNew();
        var problem = prepared.Problem;
        var points = BudgetCurve.Solve(problem, BudgetCurve.Changes(request.From, request.To, request.Step), prepared.Draws,
            prepared.ClvDraws, parallelism: Math.Min(2, Environment.ProcessorCount));
        var current = Allocator.Value(problem, problem.Lines.Select(l => l.CurrentSpend).ToArray());
        return new Curved(new BudgetCurveResponse(prepared.Week, prepared.Currency, prepared.FitStored ? prepared.Fit.Id : null, prepared.Parameters.ObjectiveName, problem.TotalCurrent,
            current, prepared.Draws.Count, clock.Elapsed.TotalSeconds, points.Select(Point).ToList(), prepared.TodayWarnings));
    }

    private static BudgetCurvePointResponse Point(BudgetCurvePoint p) => p.Plan.HasPlan
        ? new(p.Change, p.Budget, p.Plan.Status.ToString().ToLowerInvariant(), p.Plan.RecommendedObjective, p.Plan.Gain,
            Finite(p.Gain.P10), Finite(p.Gain.P50), Finite(p.Gain.P90), Finite(p.Gain.ProbabilityPositive), Finite(p.MarginalValue), null)
        : new(p.Change, p.Budget, "infeasible", null, null, null, null, null, null, null,
            string.Join(" ", p.Plan.Clashes.Select(c => c.Explanation)));

    /// <summary>The range must be one: from ≤ to, a positive step, at most <see cref="BudgetCurve.MaxPoints"/> points, budgets above zero.</summary>
    private static Dictionary<string, string[]> RangeErrors(BudgetCurveRequest r)
    {
        var errors = new Dictionary<string, string[]>();
        if (!(r.From is >= -0.9 and <= 2)) errors["from"] = ["must be a change on today's total between -0.9 and 2"];
        if (!(r.To is >= -0.9 and <= 2)) errors["to"] = ["must be a change on today's total between -0.9 and 2"];
        else if (r.To < r.From) errors["to"] = ["must not be below from"];
        if (!(r.Step is > 0 and <= 2)) errors["step"] = ["must be above 0 and at most 2"];
        else if (errors.Count == 0 && BudgetCurve.Count(r.From, r.To, r.Step) is null)
            errors["step"] = [$"gives more than {BudgetCurve.MaxPoints} points from {r.From} to {r.To}; take a larger step"];
        return errors;
    }
}

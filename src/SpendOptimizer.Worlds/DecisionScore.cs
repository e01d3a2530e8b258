using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Worlds.Search;

namespace SpendOptimizer.Worlds;

/// <summary>
/// How a plan does in the world as it truly is, against the best plan there (found by grid search on the true curves,
/// budget kept equal). The search is exponential in the channels: fine for <see cref="SyntheticWorld"/>'s six, far too slow
/// for eight; <see cref="PlanScore"/> scores any world against an exact optimum with a budget tolerance and splits the breaks.
/// </summary>
/// <param name="Share">Plan's true gain / optimum's true gain (1 = captured all of it).</param>
/// <param name="BrokenRules">Rules the plan breaks under the true curves (band, budget, per-line limits).</param>
public sealed record DecisionScore(double PlanGain, double OptimumGain, double Share, IReadOnlyList<string> BrokenRules)
{
    /// <param name="current">Today's weekly spend per channel, as the plan saw it.</param>
    /// <param name="plan">Recommended weekly spend per channel.</param>
    public static DecisionScore Of(IScoredWorld world, IReadOnlyDictionary<string, double> current, IReadOnlyDictionary<string, double> plan,
        double bandMin = 0.1, double bandMax = 0.2, double? maxPaybackMonths = 12, double? minClvCac = 3, int gridPerSide = 11)
    {
        var lines = world.TrueLines(current);
        var problem = new AllocationProblem(lines, BandMin: bandMin, BandMax: bandMax, MaxPaybackMonths: maxPaybackMonths, MinClvCac: minClvCac);
        var now = lines.Select(l => l.CurrentSpend).ToArray();
        var spend = lines.Select(l => plan[l.Name]).ToArray();
        var broken = lines.Where((l, i) => !GridSearch.Allowed(l, problem, spend[i])).Select(l => $"{l.Name} at {plan[l.Name]:F0}").ToList();
        if (Math.Abs(spend.Sum() - now.Sum()) > 1e-6 * now.Sum()) broken.Add($"budget: {spend.Sum():F0} instead of {now.Sum():F0}");
        var best = GridSearch.Best(problem, gridPerSide, out _) ?? Allocator.Value(problem, now);
        var planGain = Allocator.Value(problem, spend) - Allocator.Value(problem, now);
        var optimumGain = best - Allocator.Value(problem, now);
        return new DecisionScore(planGain, optimumGain, optimumGain > 0 ? planGain / optimumGain : planGain >= 0 ? 1 : 0, broken);
    }
}

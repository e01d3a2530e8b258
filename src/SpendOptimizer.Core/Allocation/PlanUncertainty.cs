namespace SpendOptimizer.Core.Allocation;

/// <summary>The gain of a plan over keeping today's spend, across draws of the curves: its spread and its chance of being positive.</summary>
public sealed record GainDistribution(double P10, double P50, double P90, double ProbabilityPositive, int Draws);

public static class PlanUncertainty
{
    /// <param name="draws">Per draw, one response curve per line (same order as the problem's lines).</param>
    /// <param name="clv">Per draw, one CLV per line (<see cref="ClvDraws.Draw"/>); null: each line's own CLV.</param>
    public static GainDistribution Evaluate(AllocationProblem problem, IReadOnlyList<double> plan, IReadOnlyList<Func<double, double>[]> draws,
        double[][]? clv = null)
    {
        if (draws.Count == 0) return new GainDistribution(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        var current = problem.Lines.Select(l => l.CurrentSpend).ToArray();
        var gains = draws.Select((curves, k) =>
        {
            var drawn = problem with { Lines = problem.Lines.Select((l, i) => ClvDraws.Drawn(l, curves[i], clv, k, i)).ToList() };
            return Allocator.Value(drawn, plan) - Allocator.Value(drawn, current);
        }).Order().ToArray();
        return new GainDistribution(Quantiles.OfSorted(gains, 0.1), Quantiles.OfSorted(gains, 0.5), Quantiles.OfSorted(gains, 0.9), gains.Count(g => g > 0) / (double)gains.Length, gains.Length);
    }
}

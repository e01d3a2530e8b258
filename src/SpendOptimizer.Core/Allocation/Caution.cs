namespace SpendOptimizer.Core.Allocation;

/// <summary>
/// How much of a line's predicted change the plan should count on, from posterior draws of its curve. Each draw k
/// predicts a change Δ_k for a move from today's spend to the band's far edge; over the central curve's Δ, its
/// quantile q is the rise a move up will beat with probability 1 − q, and its quantile 1 − q the fall a move down
/// will not exceed with that probability. Ranking moves by these weighted changes is the robust counterpart of the
/// plan under per-line uncertainty: money moves where the evidence for it holds, not where a wide posterior happens
/// to centre. q = 0.5 trusts the central curves (weights 1).
/// </summary>
public static class Caution
{
    /// <param name="draws">The line's curve in each posterior draw (factor and curve parameters drawn together).</param>
    /// <param name="quantile">q in (0, 0.5]; lower is more cautious.</param>
    public static (double Rise, double Fall) Weights(Func<double, double> central, IReadOnlyList<Func<double, double>> draws,
        double currentSpend, double bandMax, double quantile)
    {
        if (!(quantile > 0 && quantile <= 0.5)) throw new ArgumentOutOfRangeException(nameof(quantile), "the caution quantile must be in (0, 0.5]");
        if (quantile == 0.5 || draws.Count == 0 || currentSpend <= 0 || bandMax <= 0) return (1, 1);
        return (Weight(central, draws, currentSpend, currentSpend * (1 + bandMax), quantile),
                Weight(central, draws, currentSpend, currentSpend * (1 - bandMax), 1 - quantile));
    }

    private static double Weight(Func<double, double> central, IReadOnlyList<Func<double, double>> draws, double from, double to, double quantile)
    {
        var change = central(to) - central(from);
        // A flat central curve predicts no change to weigh; its moves are priced by the budget alone.
        if (!(Math.Abs(change) > 1e-12 * Math.Max(1, Math.Abs(central(from))))) return 1;
        var ratios = draws.Select(g => (g(to) - g(from)) / change).Where(double.IsFinite).ToArray();
        if (ratios.Length == 0) return 1;
        Array.Sort(ratios);
        return Math.Max(0, Quantiles.OfSorted(ratios, quantile));
    }
}

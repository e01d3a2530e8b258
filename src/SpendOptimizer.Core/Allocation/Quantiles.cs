namespace SpendOptimizer.Core.Allocation;

public static class Quantiles
{
    /// <summary>The q-quantile of sorted values as the nearest order statistic (index round(q · (n − 1))).</summary>
    public static double OfSorted(IReadOnlyList<double> sorted, double q) =>
        sorted[(int)Math.Clamp(Math.Round(q * (sorted.Count - 1)), 0, sorted.Count - 1)];
}

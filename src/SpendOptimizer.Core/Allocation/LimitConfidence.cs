namespace SpendOptimizer.Core.Allocation;

/// <summary>
/// Per-line limits judged with their doubt. Payback and CLV:CAC both read s ≤ K·g(s) (see
/// <see cref="AllocationProblem.SpendPerConversionLimit"/>), so a limit holds at spend s with probability
/// P(g(s) ≥ s / K) over the curve's draws, and it holds with probability at least c exactly where the draws'
/// (1 − c)-quantile of g(s) is at least s / K. Confidence 0.5 is the central curve, as without draws.
/// </summary>
public static class LimitConfidence
{
    /// <summary>The curve the limits are judged on at confidence c: the (1 − c)-quantile of the draws at each spend (null: the central curve).</summary>
    public static Func<double, double>? Curve(IReadOnlyList<Func<double, double>> draws, double confidence)
    {
        if (!(confidence > 0 && confidence < 1)) throw new ArgumentOutOfRangeException(nameof(confidence), "the limit confidence must be in (0, 1)");
        if (confidence == 0.5 || draws.Count == 0) return null;
        return s =>
        {
            var values = new double[draws.Count];
            for (var k = 0; k < values.Length; k++) values[k] = draws[k](s);
            Array.Sort(values);
            return Quantiles.OfSorted(values, 1 - confidence);
        };
    }

    /// <summary>
    /// The share of draws in which the line meets its payback and its CLV:CAC limit at spend s (null: that limit is not set).
    /// CLV:CAC takes each draw's CLV from <paramref name="clv"/> when given (paired with the curve draw of the same index);
    /// payback rests on ARPA × margin, which is not drawn.
    /// </summary>
    public static (double? Payback, double? ClvCac) Probabilities(AllocationLine line, AllocationProblem problem, double s, IReadOnlyList<Func<double, double>> draws,
        IReadOnlyList<double>? clv = null)
    {
        if (draws.Count == 0 || !problem.PerChannelLimits) return (null, null);
        double Share(Func<int, double> k) => s <= 0 ? 1 : draws.Where((g, d) => s <= k(d) * g(s)).Count() / (double)draws.Count;
        return (problem.MaxPaybackMonths is { } p ? Share(_ => p * line.MonthlyMarginPerCustomer * line.CustomersPerConversion) : null,
                problem.MinClvCac is { } r && r > 0 ? Share(d => (clv?[d] ?? line.Clv) * line.CustomersPerConversion / r) : null);
    }
}

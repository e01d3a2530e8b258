namespace SpendOptimizer.Core.Outcomes;

/// <param name="Count">Pairs with a non-zero actual (the others have no relative error).</param>
/// <param name="Mape">Mean of |actual − predicted| / |actual|.</param>
/// <param name="Wape">Σ |actual − predicted| / Σ |actual|: big weeks weigh more, so one tiny week cannot dominate.</param>
/// <param name="Bias">Σ (actual − predicted) / Σ |actual|: above 0 outcomes beat predictions, below 0 the model over-promises.</param>
public sealed record AccuracySummary(int Count, double? Mape, double? Wape, double? Bias);

/// <summary>How far predictions landed from outcomes, over weeks or channels.</summary>
public static class ForecastAccuracy
{
    /// <summary>Error relative to the actual; null when the actual is zero.</summary>
    public static double? Relative(double error, double actual) => actual != 0 ? error / Math.Abs(actual) : null;

    public static AccuracySummary Of(IEnumerable<(double Predicted, double Actual)> pairs)
    {
        var list = pairs.Where(p => p.Actual != 0).ToList();
        if (list.Count == 0) return new AccuracySummary(0, null, null, null);
        var absolute = list.Sum(p => Math.Abs(p.Actual));
        return new AccuracySummary(list.Count,
            list.Average(p => Math.Abs(p.Actual - p.Predicted) / Math.Abs(p.Actual)),
            list.Sum(p => Math.Abs(p.Actual - p.Predicted)) / absolute,
            list.Sum(p => p.Actual - p.Predicted) / absolute);
    }
}

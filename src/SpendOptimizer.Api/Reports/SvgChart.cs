using System.Globalization;

namespace SpendOptimizer.Api.Reports;

/// <summary>A linear map from data values onto a pixel range (an inverted range draws y upwards).</summary>
public sealed record Axis(double Min, double Max, double From, double To)
{
    public double Map(double v) => Max > Min ? From + (v - Min) / (Max - Min) * (To - From) : From;
}

/// <summary>The few pieces of SVG geometry the report draws, as strings with invariant numbers.</summary>
public static class SvgChart
{
    public static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Points(IEnumerable<(double X, double Y)> points, Axis x, Axis y) =>
        string.Join(' ', points.Select(p => $"{N(x.Map(p.X))},{N(y.Map(p.Y))}"));

    /// <summary>An upper bound a little above <paramref name="max"/> that reads well on an axis (1, 2 or 5 × 10^k).</summary>
    public static double NiceCeiling(double max)
    {
        if (!(max > 0)) return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (var step in new[] { 1.0, 2, 5, 10 })
            if (step * magnitude >= max) return step * magnitude;
        return 10 * magnitude;
    }
}

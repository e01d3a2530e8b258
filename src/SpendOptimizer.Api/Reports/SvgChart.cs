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
            if (step * magnitude >= max * (1 - 1e-12)) return step * magnitude;
        return 10 * magnitude;
    }

    /// <summary>
    /// Tick values for [min, max]: multiples of the smallest 1, 2 or 5 × 10^k step that gives at most
    /// <paramref name="most"/> + 1 ticks, so a reader can interpolate between round numbers. 0–37,000 → 0, 10,000, 20,000, 30,000.
    /// </summary>
    public static IReadOnlyList<double> NiceTicks(double min, double max, int most = 5)
    {
        if (!(max > min) || !double.IsFinite(min) || !double.IsFinite(max) || most < 1) return [];
        var step = NiceCeiling((max - min) / most);
        var ticks = new List<double>();
        // Counting in whole steps and rounding to the step's digits keeps 0.1 + 0.2 from printing as 0.30000000000000004.
        var digits = Math.Clamp(-(int)Math.Floor(Math.Log10(step)), 0, 15);
        for (var k = Math.Ceiling(min / step - 1e-9); k * step <= max + step * 1e-9; k++)
            ticks.Add(Math.Round(k * step, digits) + 0.0); // + 0.0 turns -0 into 0
        return ticks;
    }

    /// <summary>A tick label short enough for a small chart: 950, 1.5k, 20k, 3M, 0.05.</summary>
    public static string TickLabel(double v)
    {
        var a = Math.Abs(v);
        return a >= 1e9 ? (v / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + "bn"
            : a >= 1e6 ? (v / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M"
            : a >= 1e3 ? (v / 1e3).ToString("0.##", CultureInfo.InvariantCulture) + "k"
            : v.ToString("#,0.####", CultureInfo.InvariantCulture);
    }
}

using MathNet.Numerics.Distributions;

namespace SpendOptimizer.Core.Incrementality;

/// <summary>One geo's KPI and spend on one date; <see cref="Treated"/> marks the geos that got the change.</summary>
public sealed record GeoObservation(string Geo, DateOnly Date, bool Treated, double Kpi, double Spend);

/// <summary>A geo test's answer: the incremental KPI with a 90% interval, relative lift and incremental ROAS.</summary>
/// <param name="Iroas">Incremental KPI per unit of incremental spend; null when spend hardly changed.</param>
/// <param name="PreRSquared">How well control geos track treated ones before the test.</param>
public sealed record GeoLiftResult(
    double Incremental, double StandardError, double Lower90, double Upper90, double RelativeLift,
    double IncrementalSpend, double? Iroas, double TreatedSpend, int PreDays, int TestDays, double PreRSquared, IReadOnlyList<string> Warnings);

/// <summary>
/// Time-based regression: before the test, regress the treated geos' daily KPI on the control geos' (y = a + b·x);
/// during the test, the treated geos' counterfactual is a + b·x, and the incremental KPI is Σ (y − ŷ). Its variance
/// adds the daily residual noise of the test days to the uncertainty of the fitted line:
/// Var = σ² · (m + uᵀ(XᵀX)⁻¹u), u = (m, Σ x_test); the 90% interval uses Student's t with n − 2 degrees of freedom.
/// Incremental spend is the treated geos' test spend minus their pre-period daily mean times the test days.
/// </summary>
public static class GeoLiftAnalysis
{
    public static GeoLiftResult Analyze(IReadOnlyList<GeoObservation> rows, DateOnly testStart, DateOnly testEnd)
    {
        if (testEnd < testStart) throw new ArgumentException("the test ends before it starts");
        if (!rows.Any(r => r.Treated) || !rows.Any(r => !r.Treated)) throw new ArgumentException("the data needs treated and control geos");
        var days = rows.GroupBy(r => r.Date).OrderBy(g => g.Key).Select(g => (
            Date: g.Key,
            Y: g.Where(r => r.Treated).Sum(r => r.Kpi),
            X: g.Where(r => !r.Treated).Sum(r => r.Kpi),
            Spend: g.Where(r => r.Treated).Sum(r => r.Spend))).ToList();
        var pre = days.Where(d => d.Date < testStart).ToList();
        var test = days.Where(d => d.Date >= testStart && d.Date <= testEnd).ToList();
        if (pre.Count < 3) throw new ArgumentException($"only {pre.Count} days before the test; the regression needs at least 3");
        if (test.Count == 0) throw new ArgumentException("no data inside the test window");

        // OLS on the pre-period.
        double n = pre.Count, sx = pre.Sum(d => d.X), sy = pre.Sum(d => d.Y);
        double sxx = pre.Sum(d => d.X * d.X), sxy = pre.Sum(d => d.X * d.Y);
        var det = n * sxx - sx * sx;
        if (det <= 0) throw new ArgumentException("control KPI does not vary before the test");
        var b = (n * sxy - sx * sy) / det;
        var a = (sy - b * sx) / n;
        var ssr = pre.Sum(d => Math.Pow(d.Y - a - b * d.X, 2));
        var meanY = sy / n;
        var sst = pre.Sum(d => Math.Pow(d.Y - meanY, 2));
        var sigma2 = ssr / (n - 2);

        double m = test.Count, sxt = test.Sum(d => d.X);
        var incremental = test.Sum(d => d.Y - a - b * d.X);
        var counterfactual = test.Sum(d => a + b * d.X);
        // uᵀ(XᵀX)⁻¹u with (XᵀX)⁻¹ = [[sxx, −sx], [−sx, n]] / det
        var quad = (m * m * sxx - 2 * m * sxt * sx + sxt * sxt * n) / det;
        var se = Math.Sqrt(sigma2 * (m + quad));
        var t = StudentT.InvCDF(0, 1, n - 2, 0.95);

        var treatedSpend = test.Sum(d => d.Spend);
        var incrementalSpend = treatedSpend - pre.Average(d => d.Spend) * m;
        var warnings = new List<string>();
        var r2 = sst > 0 ? 1 - ssr / sst : double.NaN;
        if (pre.Count < 2 * test.Count) warnings.Add($"the pre-period ({pre.Count} days) is shorter than twice the test ({test.Count} days)");
        if (r2 < 0.5) warnings.Add($"control geos track treated ones poorly before the test (R² {r2:F2})");
        double? iroas = Math.Abs(incrementalSpend) > 1e-9 * Math.Max(1, treatedSpend) ? incremental / incrementalSpend : null;
        return new GeoLiftResult(incremental, se, incremental - t * se, incremental + t * se,
            counterfactual != 0 ? incremental / counterfactual : double.NaN, incrementalSpend, iroas, treatedSpend, pre.Count, test.Count, r2, warnings);
    }
}

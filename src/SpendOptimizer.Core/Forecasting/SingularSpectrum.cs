using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace SpendOptimizer.Core.Forecasting;

/// <summary>A forecast point with its 90% interval.</summary>
public sealed record ForecastPoint(int Step, double Value, double Lower90, double Upper90);

/// <summary>A point that sits far from the series' own structure.</summary>
/// <param name="Score">Robust z-score of its residual: (residual − median) / (1.4826 · MAD).</param>
public sealed record Anomaly(int Index, double Value, double Expected, double Score);

/// <summary>
/// Singular spectrum analysis. The series is embedded in an L × K trajectory matrix, its SVD is cut to the r leading
/// components, and diagonal averaging turns that back into a smooth series (trend + seasonality). Forecasts continue
/// it with the linear recurrence of the kept eigenvectors (recurrent SSA); intervals use the residual sd and widen as
/// √h, a deliberately cautious rule. Anomalies are residuals with a robust z-score above a threshold.
/// </summary>
public sealed class SingularSpectrum
{
    public int Window { get; }
    public int Components { get; }
    public double[] Series { get; }
    public double[] Reconstruction { get; }
    public double ResidualSd { get; }
    private readonly double[] _recurrence;

    private SingularSpectrum(int window, int components, double[] series, double[] reconstruction, double[] recurrence)
    {
        Window = window;
        Components = components;
        Series = series;
        Reconstruction = reconstruction;
        _recurrence = recurrence;
        var residuals = series.Zip(reconstruction, (a, b) => a - b).ToArray();
        ResidualSd = Math.Sqrt(residuals.Sum(r => r * r) / Math.Max(1, residuals.Length - components));
    }

    public static SingularSpectrum Fit(IReadOnlyList<double> series, int window, int components)
    {
        var n = series.Count;
        if (window < 2 || window > n / 2) throw new ArgumentException($"window must be between 2 and half the series length ({n / 2}); got {window}");
        if (components < 1 || components >= window) throw new ArgumentException($"components must be between 1 and window − 1; got {components}");
        var k = n - window + 1;
        var x = Matrix<double>.Build.Dense(window, k, (i, j) => series[i + j]);
        var svd = x.Svd(computeVectors: true);
        var u = svd.U.SubMatrix(0, window, 0, components);
        var s = svd.S.SubVector(0, components);
        var vt = svd.VT.SubMatrix(0, components, 0, k);
        var xr = u * Matrix<double>.Build.DenseOfDiagonalVector(s) * vt;

        // Diagonal averaging: each point is the mean of its anti-diagonal.
        var reconstruction = new double[n];
        var counts = new int[n];
        for (var i = 0; i < window; i++)
            for (var j = 0; j < k; j++)
            {
                reconstruction[i + j] += xr[i, j];
                counts[i + j]++;
            }
        for (var t = 0; t < n; t++) reconstruction[t] /= counts[t];

        // Recurrence: y_t = Σ_{j<L−1} R_j · y_{t−L+1+j}, R = Σ π_i U_i^∇ / (1 − ν²), π the eigenvectors' last entries.
        var pi = u.Row(window - 1);
        var nu2 = pi.DotProduct(pi);
        var recurrence = new double[window - 1];
        if (nu2 < 1 - 1e-9)
            for (var j = 0; j < window - 1; j++)
            {
                var sum = 0.0;
                for (var c = 0; c < components; c++) sum += pi[c] * u[j, c];
                recurrence[j] = sum / (1 - nu2);
            }
        return new SingularSpectrum(window, components, series.ToArray(), reconstruction, recurrence);
    }

    public IReadOnlyList<ForecastPoint> Forecast(int horizon)
    {
        var z = Normal.InvCDF(0, 1, 0.95);
        var extended = Reconstruction.ToList();
        var points = new List<ForecastPoint>();
        for (var h = 1; h <= horizon; h++)
        {
            var value = 0.0;
            for (var j = 0; j < Window - 1; j++) value += _recurrence[j] * extended[extended.Count - (Window - 1) + j];
            extended.Add(value);
            var half = z * ResidualSd * Math.Sqrt(h);
            points.Add(new ForecastPoint(h, value, value - half, value + half));
        }
        return points;
    }

    public IReadOnlyList<Anomaly> Anomalies(double threshold)
    {
        var residuals = Series.Zip(Reconstruction, (a, b) => a - b).ToArray();
        var median = Median(residuals);
        var mad = Median(residuals.Select(r => Math.Abs(r - median)).ToArray());
        var scale = 1.4826 * mad;
        if (scale <= 0) return [];
        return residuals.Select((r, i) => new Anomaly(i, Series[i], Reconstruction[i], (r - median) / scale))
            .Where(a => Math.Abs(a.Score) > threshold).ToList();
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

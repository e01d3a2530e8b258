using SpendOptimizer.Core.Forecasting;

namespace SpendOptimizer.Api.Services;

/// <summary>Singular spectrum analysis over each channel's weekly spend and conversions (the ssa model of the catalogue).</summary>
public static class WeeklySignals
{
    public static readonly string[] Metrics = ["spend", "conversions"];

    private static double[] Values(ChannelHistory h, string metric) => metric == "spend" ? h.Spend : h.Attributed;

    /// <summary>The SSA of a series, with the window shrunk to half the series when it is short; null under 8 weeks.</summary>
    private static SingularSpectrum? Fit(double[] series, ResolvedParameters p)
    {
        if (series.Length < 8) return null;
        var window = Math.Min(p.Integer("window"), series.Length / 2);
        return SingularSpectrum.Fit(series, window, Math.Min(p.Integer("components"), window - 1));
    }

    public static IEnumerable<WeeklyAnomaly> Anomalies(IEnumerable<ChannelHistory> histories, ResolvedParameters p) =>
        from h in histories
        from metric in Metrics
        let ssa = Fit(Values(h, metric), p)
        where ssa is not null
        from a in ssa.Anomalies(p.Number("anomaly_threshold"))
        select new WeeklyAnomaly(h.Channel, h.Weeks[a.Index], metric, a.Value, a.Expected, a.Score);

    public static IEnumerable<WeeklyForecast> Forecasts(IEnumerable<ChannelHistory> histories, ResolvedParameters p, string metric) =>
        from h in histories
        let ssa = Fit(Values(h, metric), p)
        where ssa is not null
        from f in ssa.Forecast(p.Integer("horizon"))
        select new WeeklyForecast(h.Channel, h.Weeks[^1].AddDays(7 * f.Step), metric, f.Value, f.Lower90, f.Upper90);
}

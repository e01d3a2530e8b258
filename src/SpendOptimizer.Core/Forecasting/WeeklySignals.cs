using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Core.Forecasting;

/// <summary>A week whose spend or conversions sit far from the channel's own trend and seasonality.</summary>
public sealed record WeeklyAnomaly(string Channel, DateOnly Week, string Metric, double Value, double Expected, double Score);

/// <summary>A channel's baseline for a coming week, with a 90% interval.</summary>
public sealed record WeeklyForecast(string Channel, DateOnly Week, string Metric, double Value,
    [property: System.Text.Json.Serialization.JsonPropertyName("lower_90")] double Lower90,
    [property: System.Text.Json.Serialization.JsonPropertyName("upper_90")] double Upper90);

/// <summary>The ssa model's settings: the embedding window, the components kept, weeks forecast and the robust z-score that flags a week.</summary>
public sealed record SsaSettings(int Window, int Components, int Horizon, double AnomalyThreshold);

/// <summary>Singular spectrum analysis over each channel's weekly spend and conversions (the ssa model of the catalogue).</summary>
public static class WeeklySignals
{
    public static readonly string[] Metrics = ["spend", "conversions"];

    private static double[] Values(ChannelHistory h, string metric) => metric == "spend" ? h.Spend : h.Attributed;

    /// <summary>The SSA of a series, with the window shrunk to half the series when it is short; null under 8 weeks.</summary>
    private static SingularSpectrum? Fit(double[] series, SsaSettings p)
    {
        if (series.Length < 8) return null;
        var window = Math.Min(p.Window, series.Length / 2);
        return SingularSpectrum.Fit(series, window, Math.Min(p.Components, window - 1));
    }

    public static IEnumerable<WeeklyAnomaly> Anomalies(IEnumerable<ChannelHistory> histories, SsaSettings p) =>
        from h in histories
        from metric in Metrics
        let ssa = Fit(Values(h, metric), p)
        where ssa is not null
        from a in ssa.Anomalies(p.AnomalyThreshold)
        select new WeeklyAnomaly(h.Channel, h.Weeks[a.Index], metric, a.Value, a.Expected, a.Score);

    public static IEnumerable<WeeklyForecast> Forecasts(IEnumerable<ChannelHistory> histories, SsaSettings p, string metric) =>
        from h in histories
        let ssa = Fit(Values(h, metric), p)
        where ssa is not null
        from f in ssa.Forecast(p.Horizon)
        select new WeeklyForecast(h.Channel, h.Weeks[^1].AddDays(7 * f.Step), metric, f.Value, f.Lower90, f.Upper90);
}

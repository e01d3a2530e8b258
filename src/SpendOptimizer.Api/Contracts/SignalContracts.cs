namespace SpendOptimizer.Api.Contracts;

/// <summary>A week whose spend or conversions sit far from the channel's own trend and seasonality.</summary>
public sealed record WeeklyAnomaly(string Channel, DateOnly Week, string Metric, double Value, double Expected, double Score);

/// <summary>A channel's baseline for a coming week, with a 90% interval.</summary>
public sealed record WeeklyForecast(string Channel, DateOnly Week, string Metric, double Value,
    [property: System.Text.Json.Serialization.JsonPropertyName("lower_90")] double Lower90,
    [property: System.Text.Json.Serialization.JsonPropertyName("upper_90")] double Upper90);

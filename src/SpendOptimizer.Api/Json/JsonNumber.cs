namespace SpendOptimizer.Api.Json;

/// <summary>Figures for a contract: JSON has no NaN or infinity, so a figure the data cannot define is null.</summary>
public static class JsonNumber
{
    public static double? Finite(double? v) => v is { } x && double.IsFinite(x) ? x : null;
}

using SpendOptimizer.Api.Errors;

namespace SpendOptimizer.Api.Ingest;

public static class QueryChoice
{
    /// <summary>Reads an optional enum query parameter by name, case-insensitively, or fails with 400 listing the choices.</summary>
    public static TEnum Parse<TEnum>(string? value, string name, TEnum defaultValue) where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value)) return defaultValue;
        if (!int.TryParse(value, out _) && Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed)) return parsed;
        throw ProblemException.InvalidParameter(name, $"must be one of {string.Join(", ", Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()))}", value);
    }
}

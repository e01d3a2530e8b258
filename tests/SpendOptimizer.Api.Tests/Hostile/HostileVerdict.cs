using System.Text.Json;

namespace SpendOptimizer.Api.Tests.Hostile;

/// <summary>What every answer to a hostile request must be, judged in one place for the tests and the benchmark.</summary>
public static class HostileVerdict
{
    /// <summary>Text that only the database driver, SQL or an exception would put in an answer.</summary>
    private static readonly string[] Internals =
    [
        "Npgsql", "Postgres", "SqlState", "Detail redacted", "violates", "constraint", "_pkey", "insert into", "select ",
        "Exception", "   at ", "System.", "SpendOptimizer.", "stack", "Failed to read parameter", "Failed to bind parameter",
    ];

    /// <summary>The answer text names none of <see cref="Internals"/>; returns the offending one or null.</summary>
    public static string? LeakIn(string text) => Internals.FirstOrDefault(t => text.Contains(t, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Null when the answer is acceptable: never a 5xx, every refusal an RFC 9457 body of its own status, no internals
    /// in any refusal. A request Kestrel refuses itself (<see cref="HostileRequest.KestrelRefuses"/>) may get its bare 400.
    /// </summary>
    public static string? Fault(HostileRequest request, int status, string? mediaType, string text)
    {
        if (status >= 500) return $"{status}";
        if (status < 400) return null;
        if (request.KestrelRefuses && status == 400 && text.Length == 0) return null;
        if (mediaType != "application/problem+json") return $"{status} answered as {mediaType ?? "no content type"}";
        try
        {
            var problem = JsonDocument.Parse(text).RootElement;
            if (!problem.TryGetProperty("status", out var s) || s.GetInt32() != status || !problem.TryGetProperty("title", out _))
                return $"{status} problem details without its status or title";
        }
        catch (JsonException)
        {
            return $"{status} problem details that are not JSON";
        }
        return LeakIn(text) is { } leak ? $"{status} carries internal text '{leak}'" : null;
    }
}

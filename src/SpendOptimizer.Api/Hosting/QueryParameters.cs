using System.Collections.Concurrent;
using SpendOptimizer.Api.Errors;

namespace SpendOptimizer.Api.Hosting;

/// <summary>
/// Checks every query parameter of a request against the rule its route declares (<see cref="QueryRule"/>), before
/// binding, so that no query value can reach a handler that it would break and none is read loosely: numbers must be
/// finite (the framework reads "NaN" and "Infinity" as doubles), dates are yyyy-MM-dd in the range uploads accept (the
/// framework would read 02/03/2025 as a US date), counts lie in their declared range, choices are among those listed,
/// a parameter is given once, no value carries a NUL (PostgreSQL text cannot hold one), and a name the route does not
/// take is refused rather than ignored (except <c>api_key</c> and names starting with <c>_</c>). A refusal is a 400 naming
/// the parameter, the value and what is allowed, where the framework's own binding failure would name nothing.
/// </summary>
public sealed class QueryParameterMiddleware(RequestDelegate next)
{
    /// <summary>Per endpoint, the parameters its handler takes; null for an endpoint with no handler of ours (it declares nothing).</summary>
    private static readonly ConcurrentDictionary<Endpoint, IReadOnlyDictionary<string, QueryRule>?> Rules = new();

    public Task InvokeAsync(HttpContext http)
    {
        var query = http.Request.Query;
        if (query.Count == 0) return next(http);
        // Only a route's own handler declares what it takes; an unknown path answers 404 whatever its query.
        var rules = http.GetEndpoint() is { } endpoint ? Rules.GetOrAdd(endpoint, RulesOf) : null;
        foreach (var (name, values) in query)
        {
            if (name.Contains('\0')) throw ProblemException.InvalidParameter(name.Replace("\0", "\\0"), "has a NUL character in its name");
            var rule = rules?.GetValueOrDefault(name);
            // A misspelt name (formt=csv) would otherwise be ignored and answer something else than was asked for.
            if (rule is null && rules is not null && !Ignored(name))
                throw ProblemException.InvalidParameter(name, (rules.Count == 0 ? "is not a parameter of this route, which takes none"
                    : $"is not a parameter of this route; it takes {string.Join(", ", rules.Values.Select(r => r.Name).Order(StringComparer.Ordinal))}")
                    + " (names starting with _ are ignored, for cache-busting)");
            if (rule is not null && values.Count > 1)
                throw ProblemException.InvalidParameter(rule.Name, $"is given {values.Count} times; give it once", values.ToString());
            foreach (var value in values)
            {
                if (value is null) continue;
                if (value.Contains('\0')) throw ProblemException.InvalidParameter(name, "contains a NUL character", value.Replace("\0", "\\0"));
                if (value.Length > 0 && rule?.Check(value) is { } reason)
                    throw ProblemException.InvalidParameter(rule.Name, reason, value);
            }
        }
        return next(http);
    }

    /// <summary>The key a spreadsheet sends in the URL, and names starting with _ that spreadsheets add to refresh a cached pull.</summary>
    private static bool Ignored(string name) => name == Auth.WorkspaceAccessMiddleware.QueryName || name.StartsWith('_');

    private static IReadOnlyDictionary<string, QueryRule>? RulesOf(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<System.Reflection.MethodInfo>() is { } method
            ? QueryRule.Of(method, (endpoint as RouteEndpoint)?.RoutePattern.Parameters.Select(p => p.Name) ?? [])
            : null;
}

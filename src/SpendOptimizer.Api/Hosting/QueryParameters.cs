using System.Collections.Concurrent;
using SpendOptimizer.Api.Errors;

namespace SpendOptimizer.Api.Hosting;

/// <summary>
/// Checks every query parameter of a request against the rule its route declares (<see cref="QueryRule"/>), before
/// binding, so that no query value can reach a handler that it would break and none is read loosely: numbers must be
/// finite (the framework reads "NaN" and "Infinity" as doubles), dates are yyyy-MM-dd in the range uploads accept (the
/// framework would read 02/03/2025 as a US date), counts lie in their declared range, choices are among those listed,
/// a parameter is given once, and no value carries a NUL (PostgreSQL text cannot hold one). A refusal is a 400 naming
/// the parameter, the value and what is allowed, where the framework's own binding failure would name nothing.
/// </summary>
public sealed class QueryParameterMiddleware(RequestDelegate next)
{
    private static readonly ConcurrentDictionary<Endpoint, IReadOnlyDictionary<string, QueryRule>> Rules = new();

    public Task InvokeAsync(HttpContext http)
    {
        var query = http.Request.Query;
        if (query.Count == 0) return next(http);
        var rules = http.GetEndpoint() is { } endpoint ? Rules.GetOrAdd(endpoint, RulesOf) : new Dictionary<string, QueryRule>();
        foreach (var (name, values) in query)
        {
            if (name.Contains('\0')) throw ProblemException.InvalidParameter(name.Replace("\0", "\\0"), "has a NUL character in its name");
            var rule = rules.GetValueOrDefault(name);
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

    private static IReadOnlyDictionary<string, QueryRule> RulesOf(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<System.Reflection.MethodInfo>() is { } method
            ? QueryRule.Of(method, (endpoint as RouteEndpoint)?.RoutePattern.Parameters.Select(p => p.Name) ?? [])
            : new Dictionary<string, QueryRule>();
}

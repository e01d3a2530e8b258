using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using SpendOptimizer.Api.Errors;
using SpendOptimizer.Api.Ingest;
using SpendOptimizer.Core.Calendar;

namespace SpendOptimizer.Api.Hosting;

/// <summary>
/// Checks every query parameter of a request against the type its route binds it to, before binding, so that no
/// query value can reach a handler that it would break: numbers must be finite (the framework reads "NaN" and
/// "Infinity" as doubles), dates must lie in the range uploads accept (date arithmetic on 9999-12-31 overflows), and
/// no value may carry a NUL (PostgreSQL text cannot hold one). A refusal is a 400 naming the parameter.
/// </summary>
public sealed class QueryParameterMiddleware(RequestDelegate next)
{
    private static readonly ConcurrentDictionary<Endpoint, IReadOnlyDictionary<string, Type>> Typed = new();

    public Task InvokeAsync(HttpContext http)
    {
        var query = http.Request.Query;
        if (query.Count == 0) return next(http);
        var types = http.GetEndpoint() is { } endpoint ? Typed.GetOrAdd(endpoint, TypesOf) : new Dictionary<string, Type>();
        foreach (var (name, values) in query)
        {
            if (name.Contains('\0')) throw ProblemException.InvalidParameter(name.Replace("\0", "\\0"), "has a NUL character in its name");
            foreach (var value in values)
            {
                if (value is null) continue;
                if (value.Contains('\0')) throw ProblemException.InvalidParameter(name, "contains a NUL character", value.Replace("\0", "\\0"));
                if (value.Length > 0 && types.TryGetValue(name, out var type) && Check(type, value) is { } reason)
                    throw ProblemException.InvalidParameter(name, reason, value);
            }
        }
        return next(http);
    }

    private static string? Check(Type type, string value)
    {
        if (type == typeof(double) || type == typeof(float))
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                ? Math.Abs(d) <= InputRow.MaxMagnitude ? null : $"must be between -{InputRow.MaxMagnitude:0e0} and {InputRow.MaxMagnitude:0e0}"
                : "must be a finite number (digits with '.' as the decimal point; not NaN or Infinity)";
        if (type == typeof(int))
            return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : "must be a whole number";
        if (type == typeof(DateOnly))
            return !DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? "must be a date written yyyy-MM-dd"
                : !DateBounds.Contains(day)
                    ? $"must lie between {DateBounds.Earliest:yyyy-MM-dd} and {DateBounds.Latest:yyyy-MM-dd}" : null;
        if (type == typeof(Guid))
            return Guid.TryParse(value, out _) ? null : "must be an id such as 019ab5c2-7d1e-7c3a-9f0e-2b8d4c6a1e53";
        return null;
    }

    /// <summary>The query names a route's handler binds, with their types: its simple parameters and the properties of [AsParameters] ones.</summary>
    private static IReadOnlyDictionary<string, Type> TypesOf(Endpoint endpoint)
    {
        var found = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase);
        if (endpoint.Metadata.GetMetadata<MethodInfo>() is not { } method) return found;
        var route = (endpoint as RouteEndpoint)?.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        void Add(ICustomAttributeProvider member, string name, Type type)
        {
            var simple = Nullable.GetUnderlyingType(type) ?? type;
            if (route.Contains(name) || member.IsDefined(typeof(FromHeaderAttribute), true) || member.IsDefined(typeof(FromServicesAttribute), true)) return;
            var queryName = member.GetCustomAttributes(typeof(FromQueryAttribute), true).OfType<FromQueryAttribute>().FirstOrDefault()?.Name ?? name;
            if (simple == typeof(double) || simple == typeof(float) || simple == typeof(int) || simple == typeof(DateOnly) || simple == typeof(Guid))
                found[queryName] = simple;
        }
        foreach (var p in method.GetParameters())
        {
            if (p.IsDefined(typeof(AsParametersAttribute), true))
                foreach (var property in p.ParameterType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(x => x.CanWrite))
                    Add(property, property.Name, property.PropertyType);
            else if (p.Name is { } name) Add(p, name, p.ParameterType);
        }
        return found;
    }
}

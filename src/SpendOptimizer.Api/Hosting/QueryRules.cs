using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Ingest;
using SpendOptimizer.Core.Calendar;

namespace SpendOptimizer.Api.Hosting;

/// <summary>What one query parameter accepts: its type, and the range or choices declared on it.</summary>
public sealed record QueryRule(string Name, Type Type, RangeAttribute? Range, IReadOnlyList<string>? Choices, bool ChoicesCheckedWithTheQuery = false)
{
    /// <summary>Why <paramref name="value"/> is refused, or null when it is accepted.</summary>
    public string? Check(string value)
    {
        if (Type == typeof(double) || Type == typeof(float))
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                ? Math.Abs(d) <= InputRow.MaxMagnitude ? null : $"must be between -{InputRow.MaxMagnitude:0e0} and {InputRow.MaxMagnitude:0e0}"
                : "must be a finite number (digits with '.' as the decimal point; not NaN or Infinity)";
        if (Type == typeof(int))
            return !int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
                ? Range is null ? "must be a whole number" : $"must be a whole number from {Bounds}"
                : Range is not null && !Range.IsValid(n) ? $"must be from {Bounds}" : null;
        if (Type == typeof(DateOnly))
            return !DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? "must be a date written yyyy-MM-dd"
                : !DateBounds.Contains(day)
                    ? $"must lie between {DateBounds.Earliest:yyyy-MM-dd} and {DateBounds.Latest:yyyy-MM-dd}" : null;
        if (Type == typeof(Guid))
            return Guid.TryParse(value, out _) ? null : "must be an id such as 019ab5c2-7d1e-7c3a-9f0e-2b8d4c6a1e53";
        if (Type == typeof(bool))
            return bool.TryParse(value, out _) ? null : "must be true or false";
        if (Choices is not null && !ChoicesCheckedWithTheQuery && !Choices.Contains(value, StringComparer.OrdinalIgnoreCase))
            return $"must be one of {string.Join(", ", Choices)}";
        return null;
    }

    private string Bounds => string.Create(CultureInfo.InvariantCulture, $"{Range!.Minimum:N0} to {Range.Maximum:N0}");

    private static readonly Type[] Checked = [typeof(double), typeof(float), typeof(int), typeof(DateOnly), typeof(Guid), typeof(bool), typeof(string)];

    /// <summary>
    /// The query parameters a route's handler binds, by name: its simple parameters and the properties of [AsParameters]
    /// ones, under the names their [FromQuery] gives (properties otherwise in lower case). <paramref name="routeNames"/> are
    /// left out (they come from the path).
    /// </summary>
    public static IReadOnlyDictionary<string, QueryRule> Of(MethodInfo method, IEnumerable<string> routeNames)
    {
        var found = new Dictionary<string, QueryRule>(StringComparer.OrdinalIgnoreCase);
        var route = routeNames.ToHashSet(StringComparer.OrdinalIgnoreCase);
        void Add(ICustomAttributeProvider member, string name, Type type)
        {
            var simple = Nullable.GetUnderlyingType(type) ?? type;
            if (route.Contains(name) || !Checked.Contains(simple)) return;
            if (member.IsDefined(typeof(FromHeaderAttribute), true) || member.IsDefined(typeof(FromServicesAttribute), true)
                || member.IsDefined(typeof(FromBodyAttribute), true) || member.IsDefined(typeof(FromRouteAttribute), true)) return;
            // Contracts may not use ASP.NET's [FromQuery], so a one-word property of an [AsParameters] type is named in lower
            // case here and in the document; the framework binds query names case-insensitively.
            var queryName = member.GetCustomAttributes(typeof(FromQueryAttribute), true).OfType<FromQueryAttribute>().FirstOrDefault()?.Name
                ?? (member is PropertyInfo ? name.ToLowerInvariant() : name);
            var range = member.GetCustomAttributes(typeof(RangeAttribute), true).OfType<RangeAttribute>().FirstOrDefault();
            var choices = member.GetCustomAttributes(typeof(QueryChoicesAttribute), true).OfType<QueryChoicesAttribute>().FirstOrDefault();
            found[queryName] = new QueryRule(queryName, simple, range, choices?.Choices, choices?.CheckedWithTheQuery ?? false);
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

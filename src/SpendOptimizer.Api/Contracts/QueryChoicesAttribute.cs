namespace SpendOptimizer.Api.Contracts;

/// <summary>
/// The values a text query parameter accepts, compared case-insensitively. The query parameter middleware refuses any
/// other before the handler runs, and the OpenAPI document lists them as the parameter's enum.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class QueryChoicesAttribute : Attribute
{
    public QueryChoicesAttribute(params string[] choices) => Choices = choices;

    /// <summary>The enum's member names in lower case, as they are read.</summary>
    public QueryChoicesAttribute(Type enumType) => Choices = [.. Enum.GetNames(enumType).Select(n => n.ToLowerInvariant())];

    public IReadOnlyList<string> Choices { get; }

    /// <summary>
    /// The handler checks the value itself, with the query's other fields, so that all their faults come in one
    /// validation answer; the choices are then only listed in the document.
    /// </summary>
    public bool CheckedWithTheQuery { get; init; }
}

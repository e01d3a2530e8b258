using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace SpendOptimizer.Api.Hosting;

/// <summary>
/// Names each query parameter as it is checked (snake_case) and writes its declared choices (as its enum) and range (as minimum and maximum) into the OpenAPI
/// document, from the same <see cref="QueryRule"/>s the middleware enforces, so the document and the refusals agree.
/// </summary>
public sealed class QueryParameterDocs : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.Parameters is null || context.MethodInfo is null) return;
        var route = operation.Parameters.Where(p => p.In == ParameterLocation.Path && p.Name is not null).Select(p => p.Name!);
        var rules = QueryRule.Of(context.MethodInfo, route);
        foreach (var parameter in operation.Parameters.Where(p => p.In == ParameterLocation.Query))
        {
            if (parameter.Name is null || !rules.TryGetValue(parameter.Name, out var rule) || parameter.Schema is not OpenApiSchema schema) continue;
            if (parameter is OpenApiParameter named) named.Name = rule.Name;
            if (rule.Choices is { } choices) schema.Enum = [.. choices.Select(c => (JsonNode)JsonValue.Create(c))];
            if (rule.Range is { } range)
            {
                schema.Minimum = Convert.ToString(range.Minimum, CultureInfo.InvariantCulture);
                schema.Maximum = Convert.ToString(range.Maximum, CultureInfo.InvariantCulture);
            }
        }
    }
}

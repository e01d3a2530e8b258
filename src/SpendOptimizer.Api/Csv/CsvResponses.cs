using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace SpendOptimizer.Api.Csv;

/// <summary>Adds text/csv beside application/json to the 200 answer of every route that can answer CSV.</summary>
public sealed class CsvResponses : IOperationFilter
{
    public sealed class Metadata;

    public static readonly Metadata Marker = new();

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Metadata>().Any()) return;
        if (operation.Responses is null || !operation.Responses.TryGetValue("200", out var ok) || ok is not OpenApiResponse response) return;
        response.Content ??= new Dictionary<string, OpenApiMediaType>();
        response.Content["text/csv"] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "The same rows as CSV (Accept: text/csv or ?format=csv): snake_case columns as in JSON, ISO dates, "
                    + "RFC 4180 quoting; a next page's cursor comes in the X-Next-Cursor header.",
            },
        };
    }
}

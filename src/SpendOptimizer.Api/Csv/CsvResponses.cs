using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace SpendOptimizer.Api.Csv;

/// <summary>Adds the spreadsheet forms (CSV, Excel) beside application/json to the 200 answer of the routes that offer them.</summary>
public sealed class CsvResponses : IOperationFilter
{
    /// <summary>Endpoint metadata: the route's 200 answer also comes as <see cref="MediaType"/>.</summary>
    public sealed record Metadata(string MediaType, JsonSchemaType Type, string? Format, string Description);

    public static readonly Metadata Csv = new("text/csv", JsonSchemaType.String, null,
        "The same rows as CSV (Accept: text/csv or ?format=csv): snake_case columns as in JSON, ISO dates, RFC 4180 quoting; "
        + "a next page's cursor comes in the X-Next-Cursor header.");

    public static readonly Metadata Xlsx = new(XlsxResult<object>.ContentType, JsonSchemaType.String, "binary",
        "The same rows as an Excel workbook (?format=xlsx): one sheet, the CSV's columns, numbers as numbers.");

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var forms = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Metadata>().Distinct().ToList();
        if (forms.Count == 0) return;
        if (operation.Responses is null || !operation.Responses.TryGetValue("200", out var ok) || ok is not OpenApiResponse response) return;
        response.Content ??= new Dictionary<string, OpenApiMediaType>();
        foreach (var form in forms)
            response.Content[form.MediaType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = form.Type, Format = form.Format, Description = form.Description } };
    }
}

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
        + "numbers rounded for reading (money 2 decimals, counts 2, shares and probabilities 4, ratios 2, factors 4, months 2, "
        + "marginal returns 6; JSON keeps full precision). A paged list asked for without ?limit= holds every row of its window, "
        + "for spreadsheet tools that cannot follow cursors; with ?limit= it is one page, and the next page's cursor comes in the X-Next-Cursor header.");

    public static readonly Metadata Xlsx = new(XlsxResult<object>.ContentType, JsonSchemaType.String, "binary",
        "The same rows as an Excel workbook (?format=xlsx): a sheet of the CSV's columns with typed cells at full precision "
        + "(dates as dates, money in the currency's format, shares as percentages) under a frozen header, and a Totals sheet.");

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

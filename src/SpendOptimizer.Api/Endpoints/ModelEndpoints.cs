using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Catalogue;
using SpendOptimizer.Api.Csv;

namespace SpendOptimizer.Api.Endpoints;

public static class ModelEndpoints
{
    public static RouteGroupBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/models").WithTags("Models");
        group.MapGet("", List)
            .WithName("ListModels")
            .WithSummary("The model catalogue: every model the service can fit, with its parameters, defaults, bounds and priors. CSV: one row per parameter.");
        return group;
    }

    private sealed record ParameterRow(ModelDefinition Model, ModelParameter? Parameter);

    private static readonly IReadOnlyList<CsvColumn<ParameterRow>> Columns =
    [
        CsvColumn<ParameterRow>.Text("model", r => r.Model.Name),
        CsvColumn<ParameterRow>.Text("stage", r => r.Model.Stage),
        CsvColumn<ParameterRow>.Text("parameter", r => r.Parameter?.Name),
        CsvColumn<ParameterRow>.Text("type", r => r.Parameter?.Type),
        CsvColumn<ParameterRow>.Text("default", r => r.Parameter?.Default.ToString()),
        CsvColumn<ParameterRow>.Exact("min", r => r.Parameter?.Min),
        CsvColumn<ParameterRow>.Exact("max", r => r.Parameter?.Max),
        CsvColumn<ParameterRow>.Text("prior", r => r.Parameter?.Prior is { } p ? $"{p.Distribution}({p.Mean}, {p.Sd})" : null),
        CsvColumn<ParameterRow>.Text("description", r => r.Parameter?.Description ?? r.Model.Description),
    ];

    private static Results<Ok<IReadOnlyList<ModelDefinition>>, CsvResult<ParameterRow>> List(HttpRequest request, ModelCatalogue catalogue, [QueryChoices("json", "csv")] string? format = null)
    {
        if (!ListResults.WantsCsv(request, format)) return TypedResults.Ok(catalogue.Models);
        var rows = catalogue.Models.SelectMany(m => m.Parameters.Count == 0
            ? [new ParameterRow(m, null)]
            : m.Parameters.Select(p => new ParameterRow(m, p)));
        return new CsvResult<ParameterRow>(rows, Columns, "models", null);
    }
}

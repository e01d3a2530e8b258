using Microsoft.AspNetCore.Mvc;
using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Hosting;
using SpendOptimizer.Api.Jobs;
using SpendOptimizer.Api.Services;
using SpendOptimizer.Api.Storage;

namespace SpendOptimizer.Api.Endpoints;

public static class ResponseCurveEndpoints
{
    private const int PlotPoints = 41;

    public static RouteGroupBuilder MapResponseCurveEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Response curves");
        group.MapPost("/response-curves/fit", Fit)
            .WithTimeLimit(o => o.PlanningTimeLimitSeconds)
            .RequireRole(Role.Ingest)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .AcceptsRespondAsync<FitResponseCurvesRequest>()
            .WithName("FitResponseCurves")
            .WithSummary("Fit adstock + Hill curves per channel to weekly calibrated incremental conversions (attributed × incrementality factor) versus spend; stored.");
        group.MapGet("/response-curves", Get)
            .RequireRole(Role.Read)
            .WithName("GetResponseCurves")
            .WithSummary("The newest curves (or ?fit_id=): parameters with 90% intervals, fit quality, warnings and points to plot; CSV: one row per point.");
        return group;
    }

    private static async Task<Results<Created<ResponseFitResponse>, ValidationProblem>> Fit(
        string ws, FitResponseCurvesRequest request, CurveFittingService fitting, CancellationToken ct)
    {
        var (fit, errors) = await fitting.FitAsync(ws, request, ct);
        if (fit is null) return TypedResults.ValidationProblem(errors);
        return TypedResults.Created($"/v1/workspaces/{ws}/response-curves?fit_id={fit.Id}", ToResponse(fit));
    }

    private sealed record PointRow(string Channel, CurvePoint Point);

    private static readonly IReadOnlyList<CsvColumn<PointRow>> PointColumns =
    [
        CsvColumn<PointRow>.Text("channel", r => r.Channel),
        CsvColumn<PointRow>.Money("spend", r => r.Point.Spend),
        CsvColumn<PointRow>.Count("response", r => r.Point.Response),
        CsvColumn<PointRow>.Rate("marginal", r => r.Point.Marginal),
    ];

    /// <param name="fitId">A stored fit; default the newest.</param>
    private static async Task<Results<Ok<ResponseFitResponse>, CsvResult<PointRow>, ProblemHttpResult>> Get(
        string ws, HttpRequest request, ResponseCurveStore store, [FromQuery(Name = "fit_id")] Guid? fitId = null, [QueryChoices("json", "csv")] string? format = null, CancellationToken ct = default)
    {
        var fit = await store.GetAsync(ws, fitId, ct);
        if (fit is null)
            return TypedResults.Problem(statusCode: 404, title: "No curves", detail: fitId is null ? "No curves fitted yet; POST …/response-curves/fit." : $"No fit {fitId}.");
        var response = ToResponse(fit);
        return ListResults.WantsCsv(request, format)
            ? new CsvResult<PointRow>(response.Curves.SelectMany(c => c.Points.Select(p => new PointRow(c.Channel, p))), PointColumns, "response-curves", null)
            : TypedResults.Ok(response);
    }

    public static ResponseFitResponse ToResponse(StoredFit fit) => new(fit.Id, fit.CreatedAt, fit.From, fit.To, fit.AttributionRunId,
        fit.Curves.Select(c =>
        {
            double Sd(int i) => Math.Sqrt(Math.Max(0, c.Covariance[i * 4 + i]));
            EstimateResponse Linear(double v, int i) => new(v, Sd(i), v - 1.645 * Sd(i), v + 1.645 * Sd(i));
            EstimateResponse Log(double v, int i) => new(v, v * Sd(i), v * Math.Exp(-1.645 * Sd(i)), v * Math.Exp(1.645 * Sd(i)));
            var top = 2 * Math.Max(c.CurrentSpend, c.MeanSpend);
            var points = Enumerable.Range(0, PlotPoints).Select(i => top * i / (PlotPoints - 1))
                .Select(s => new CurvePoint(s, c.Curve.SteadyState(s), c.Curve.Marginal(s) is var m && double.IsFinite(m) ? m : null)).ToList();
            return new ResponseCurveResponse(c.Channel, Linear(c.Curve.Theta, 0), Linear(c.Curve.Alpha, 1), Log(c.Curve.Kappa, 2), Log(c.Curve.Beta, 3),
                c.RSquared, c.Mape, c.ResidualSd, c.Weeks, c.MeanSpend, c.CurrentSpend, c.FactorMean, c.FactorSd,
                c.RevenuePerConversion, c.NewCustomersPerConversion, c.Warnings, points);
        }).ToList());
}

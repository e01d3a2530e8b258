using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Catalogue;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Pipeline;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Core.Response;

namespace SpendOptimizer.Api.Endpoints;

public static class ResponseCurveEndpoints
{
    private const int PlotPoints = 41;

    public static RouteGroupBuilder MapResponseCurveEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Response curves");
        group.MapPost("/response-curves/fit", Fit)
            .RequireRole(Role.Ingest)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithName("FitResponseCurves")
            .WithSummary("Fit adstock + Hill curves per channel to weekly calibrated incremental conversions (attributed × incrementality factor) versus spend; stored.");
        group.MapGet("/response-curves", Get)
            .RequireRole(Role.Read)
            .WithName("GetResponseCurves")
            .WithSummary("The newest curves (or ?fit_id=): parameters with 90% intervals, fit quality, warnings and points to plot; CSV: one row per point.");
        return group;
    }

    public static CurvePriors Priors(ResolvedParameters p, ModelDefinition model)
    {
        ModelParameter Param(string name) => model.Parameters.Single(x => x.Name == name);
        var theta = Param("theta");
        var alpha = Param("alpha");
        var kappa = Param("kappa_ratio");
        return new CurvePriors(
            theta.Min ?? 0, theta.Max ?? 0.9, p.Number("theta"), theta.Prior?.Sd ?? 0.2,
            alpha.Min ?? 0.5, alpha.Max ?? 3, p.Number("alpha"), alpha.Prior?.Sd ?? 0.6,
            Math.Log(p.Number("kappa_ratio")), kappa.Prior?.Sd ?? 1,
            p.Integer("min_weeks"), p.Number("min_spend_cv"));
    }

    private static async Task<Results<Created<ResponseFitResponse>, ValidationProblem, ProblemHttpResult>> Fit(
        string ws, FitResponseCurvesRequest request, ModelCatalogue catalogue, CalibrationService calibration,
        ResponseCurveStore store, TimeProvider clock, CancellationToken ct)
    {
        var model = catalogue.Find("adstock_hill")!;
        var parameters = catalogue.Resolve(model, request.Parameters);
        var rule = catalogue.Resolve(catalogue.Find("lift_calibration")!, request.Calibration);
        var errors = parameters.Errors.Concat(rule.Errors.Select(e => KeyValuePair.Create("calibration." + e.Key[11..], e.Value))).ToDictionary();
        if (request.From > request.To) errors["to"] = ["is before from"];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var data = await calibration.CalibrateAsync(ws, request.From, request.To, null, request.AttributionRunId, CalibrationService.Rule(rule), ct);
        if (data is null)
            return TypedResults.Problem(statusCode: 404, title: "Attribution run not found", detail: $"Workspace '{ws}' has no attribution run {request.AttributionRunId}.");
        if (data.Channels.Count == 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = ["no performance data in this window; PUT …/performance first"] });

        var priors = Priors(parameters, model);
        var curves = new List<StoredCurve>();
        foreach (var history in data.Channels)
        {
            var factor = data.Factors.Single(f => f.Channel == history.Channel);
            var incremental = history.Attributed.Select(a => a * factor.Mean).ToArray();
            if (history.Spend.All(s => s == 0) || incremental.All(y => y == 0)) continue;
            var fit = ResponseCurveFit.Fit(history.Spend, incremental, priors);
            var warnings = fit.Warnings.ToList();
            if (factor.PriorOnly) warnings.Add("no lift test calibrates this channel: its factor is the prior, so the curve's level is uncertain");
            curves.Add(new StoredCurve(history.Channel, fit.Curve, fit.Covariance, fit.RSquared, fit.Mape, fit.ResidualSd, fit.Weeks,
                fit.MeanSpend, history.CurrentSpend, factor.Mean, factor.Sd, history.RevenuePerConversion, history.NewCustomersPerConversion, warnings));
        }
        var stored = new StoredFit(Guid.CreateVersion7(), clock.GetUtcNow(), request.From, request.To, request.AttributionRunId, curves);
        await store.SaveAsync(ws, stored, JsonSerializer.SerializeToElement(new { response = parameters.Values, calibration = rule.Values }), ct);
        return TypedResults.Created($"/v1/workspaces/{ws}/response-curves?fit_id={stored.Id}", ToResponse(stored));
    }

    private sealed record PointRow(string Channel, CurvePoint Point);

    private static readonly IReadOnlyList<CsvColumn<PointRow>> PointColumns =
    [
        CsvColumn<PointRow>.Text("channel", r => r.Channel),
        CsvColumn<PointRow>.Number("spend", r => r.Point.Spend),
        CsvColumn<PointRow>.Number("response", r => r.Point.Response),
        CsvColumn<PointRow>.Number("marginal", r => r.Point.Marginal),
    ];

    /// <param name="fitId">A stored fit; default the newest.</param>
    private static async Task<Results<Ok<ResponseFitResponse>, CsvResult<PointRow>, ProblemHttpResult>> Get(
        string ws, HttpRequest request, ResponseCurveStore store, Guid? fitId = null, string? format = null, CancellationToken ct = default)
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

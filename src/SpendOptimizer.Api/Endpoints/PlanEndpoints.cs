using Microsoft.AspNetCore.Mvc;
using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Hosting;
using SpendOptimizer.Api.Jobs;
using SpendOptimizer.Api.Reports;
using SpendOptimizer.Api.Services;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Core.Allocation;

namespace SpendOptimizer.Api.Endpoints;

public static class PlanEndpoints
{
    public static RouteGroupBuilder MapPlanEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Plans");
        group.MapPost("/plans", Create)
            .WithTimeLimit(o => o.PlanningTimeLimitSeconds)
            .RequireRole(Role.Ingest)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AcceptsRespondAsync<CreatePlanRequest>()
            .WithName("CreatePlan")
            .WithSummary("Plan a path of 1–26 weeks: each week each channel kept or moved within the band from the week before, carry-over counted; a channel × week table; stored.");
        group.MapGet("/plans/latest", Latest)
            .RequireRole(Role.Read)
            .WithName("GetLatestPlan")
            .WithSummary("The newest path; CSV (format=csv) and an Excel workbook (format=xlsx) have one row per week and channel.");
        group.MapGet("/plans/{id:guid}", Get)
            .RequireRole(Role.Read)
            .WithName("GetPlan")
            .WithSummary("One path; CSV (format=csv) and an Excel workbook (format=xlsx) have one row per week and channel.");
        group.MapGet("/plans/{id:guid}/report", Report)
            .RequireRole(Role.Read)
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .WithName("GetPlanReport")
            .WithSummary("One-page HTML report of a path: its totals with their spread, and each channel's spend path and response path. Opens in a browser with ?api_key= and a read key.");
        return group;
    }

    private static async Task<Results<Created<PlanResponse>, ValidationProblem, ProblemHttpResult>> Create(
        string ws, CreatePlanRequest request, PlanService planner, CancellationToken ct)
    {
        switch (await planner.PlanAsync(ws, request, ct))
        {
            case PlanService.Planned planned:
                return TypedResults.Created($"/v1/workspaces/{ws}/plans/{planned.Plan.Id}", planned.Plan);
            case PlanService.Invalid invalid:
                return TypedResults.ValidationProblem(invalid.Errors);
            case PlanService.NoCurves none:
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "No curves", detail: none.Detail);
            case PlanService.Infeasible infeasible:
                return TypedResults.Problem(new ProblemDetails
                {
                    Status = StatusCodes.Status422UnprocessableEntity,
                    Title = infeasible.Result.Status == AllocationStatus.TimedOut ? "No path found within the time limit" : "No path meets every rule",
                    Detail = string.Join(" ", infeasible.Result.Clashes.Select(c => c.Explanation)),
                    Extensions =
                    {
                        ["solver_status"] = infeasible.Result.SolverStatus,
                        ["clashes"] = infeasible.Result.Clashes.Select(c => new { subject = c.Subject, limit = c.Limit, required = c.Required, achievable = c.Achievable, explanation = c.Explanation }).ToList(),
                    },
                });
            default:
                throw new InvalidOperationException("unknown planning outcome");
        }
    }

    private sealed record Row(PlanChannel Channel, PlanCell Cell);

    /// <summary>The cell's columns; value is in objective units, so it is written as money or, for objective conversions, as a count.</summary>
    private static IReadOnlyList<CsvColumn<Row>> Columns(string objective) =>
    [
        CsvColumn<Row>.Date("week", r => r.Cell.Week),
        CsvColumn<Row>.Text("channel", r => r.Channel.Channel),
        CsvColumn<Row>.Money("spend", r => r.Cell.Spend),
        CsvColumn<Row>.Money("previous_spend", r => r.Cell.PreviousSpend),
        CsvColumn<Row>.Share("change", r => r.Cell.Change),
        CsvColumn<Row>.Money("adstock", r => r.Cell.Adstock),
        CsvColumn<Row>.Count("conversions", r => r.Cell.Conversions),
        CsvColumn<Row>.Count("customers", r => r.Cell.Customers),
        CsvColumn<Row>.Money("revenue", r => r.Cell.Revenue),
        objective == "conversions" ? CsvColumn<Row>.Count("value", r => r.Cell.Value) : CsvColumn<Row>.Money("value", r => r.Cell.Value),
        CsvColumn<Row>.Money("cac", r => r.Cell.Cac),
        CsvColumn<Row>.Months("payback_months", r => r.Cell.PaybackMonths),
        CsvColumn<Row>.Ratio("clv_cac", r => r.Cell.ClvCac),
        CsvColumn<Row>.Text("reason", r => Reasons.Code(r.Cell.Reason)),
        CsvColumn<Row>.Text("unreachable_limits", r => r.Cell.Unreachable is { } u ? string.Join(";", u.Limits) : ""),
        CsvColumn<Row>.Money("spend_where_limits_hold", r => r.Cell.Unreachable?.SpendWhereMet),
    ];

    /// <summary>Week by week, each week's channels in the path's order.</summary>
    private static IEnumerable<Row> Rows(PlanResponse plan) =>
        Enumerable.Range(0, plan.HorizonWeeks).SelectMany(t => plan.Channels.Select(c => new Row(c, c.Weeks[t])));

    private static Task<Results<Ok<PlanResponse>, CsvResult<Row>, XlsxResult<Row>, ProblemHttpResult>> Latest(string ws, HttpRequest request,
        PlanStore store, [QueryChoices("json", "csv", "xlsx")] string? format = null, CancellationToken ct = default) => One(ws, null, request, store, format, ct);

    private static Task<Results<Ok<PlanResponse>, CsvResult<Row>, XlsxResult<Row>, ProblemHttpResult>> Get(string ws, Guid id, HttpRequest request,
        PlanStore store, [QueryChoices("json", "csv", "xlsx")] string? format = null, CancellationToken ct = default) => One(ws, id, request, store, format, ct);

    private static async Task<IResult> Report(string ws, Guid id, HttpResponse response, PlanStore store, CancellationToken ct)
    {
        var found = await store.GetAsync(ws, id, ct);
        if (found is null) return NotFound(ws, id);
        return ReportEndpoints.Page(response, PlanReport.Render(ws, found));
    }

    private static ProblemHttpResult NotFound(string ws, Guid? id) =>
        TypedResults.Problem(statusCode: 404, title: "Plan not found", detail: id is null ? "No plan yet: POST …/plans." : $"Workspace '{ws}' has no plan {id}.");

    private static async Task<Results<Ok<PlanResponse>, CsvResult<Row>, XlsxResult<Row>, ProblemHttpResult>> One(string ws, Guid? id,
        HttpRequest request, PlanStore store, string? format, CancellationToken ct)
    {
        var found = await store.GetAsync(ws, id, ct);
        if (found is null) return NotFound(ws, id);
        var name = $"plan-{found.Week:yyyy-MM-dd}";
        if (string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase))
            return new XlsxResult<Row>(Rows(found), Columns(found.Objective), name, $"Path from {found.Week:yyyy-MM-dd}", Totals(found), currency: found.Currency);
        return ListResults.WantsCsv(request, format)
            ? new CsvResult<Row>(Rows(found), Columns(found.Objective), name, null)
            : TypedResults.Ok(found);
    }

    /// <summary>The workbook's second sheet: the horizon's totals, the gain over keeping today's spend, and how the solver did.</summary>
    private static IReadOnlyList<XlsxSummaryItem> Totals(PlanResponse p)
    {
        var value = p.Objective == "conversions" ? CellKind.Count : CellKind.Money;
        return
        [
            new("Plan", CellKind.Text, p.Id.ToString(), "id"),
            new("First week", CellKind.Date, p.Week, "week"),
            new("Weeks", CellKind.Integer, (long)p.HorizonWeeks, "horizon_weeks"),
            new("Objective", CellKind.Text, p.Objective, "objective"),
            new("Currency", CellKind.Text, p.Currency, "currency"),
            new("Spend over the horizon", CellKind.Money, p.Totals.Spend, "totals.spend"),
            new("Conversions", CellKind.Count, p.Totals.Conversions, "totals.conversions"),
            new("New customers", CellKind.Count, p.Totals.Customers, "totals.customers"),
            new("Revenue", CellKind.Money, p.Totals.Revenue, "totals.revenue"),
            new("CAC", CellKind.Money, p.Totals.Cac, "totals.cac"),
            new("Conversions after the horizon", CellKind.Count, p.Totals.CarryOverConversions, "totals.carry_over_conversions"),
            new("Value, with the carry-over", value, p.Totals.Value, "totals.value"),
            new("Value keeping today's spend", value, p.Totals.CurrentValue, "totals.current_value"),
            new("Gain", value, p.Totals.Gain, "totals.gain"),
            new("Gain, 10% of draws below", value, p.Totals.GainP10, "totals.gain_p10"),
            new("Gain, median over draws", value, p.Totals.GainP50, "totals.gain_p50"),
            new("Gain, 90% of draws below", value, p.Totals.GainP90, "totals.gain_p90"),
            new("P(gain > 0)", CellKind.Share, p.Totals.GainProbabilityPositive, "totals.gain_probability_positive"),
            new("Draws", CellKind.Integer, (long)p.Totals.Draws, "totals.draws"),
            new("Solver status", CellKind.Text, p.Solver.Status, "solver.status"),
            new("Relative gap", CellKind.Share, p.Solver.RelativeGap, "solver.relative_gap"),
        ];
    }
}

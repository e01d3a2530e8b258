using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Hosting;
using SpendOptimizer.Api.Jobs;
using SpendOptimizer.Api.Options;
using SpendOptimizer.Api.Services;
using SpendOptimizer.Api.Storage;

namespace SpendOptimizer.Api.Endpoints;

/// <summary>Customer lifetime value fitted from orders (BG/NBD + Gamma–Gamma) or subscriptions (sBG), stored and read back.</summary>
public static class CustomerValueEndpoints
{
    private const string FitDescription = """
        bg_nbd, on orders: orders on one UTC day are one transaction of their summed revenue; a customer starts on its first
        order day d0, and over calibration days (up to calibration_end, included) x counts the later order days, t_x is the
        last one's distance from d0 (0 when x = 0), T = calibration_end − d0, and m_x is the mean revenue of the repeat days,
        all in time_unit (a month is 365.25/12 days). Customers first seen on calibration_end or later are left out (T = 0
        carries no information). The group is the customers row's acquisition_channel, else the channel of the earliest order
        naming one, else 'unknown'. CLV is the discounted margin a new customer brings over horizon_months: the acquisition
        order plus expected repeat transactions month by month, each at the Gamma–Gamma mean value, discounted at
        (1 + annual_discount_rate)^(month/12); its interval is the 5/50/95% points over 1,000 draws of the parameters. When
        orders exist after calibration_end, the holdout compares the predicted repeat transactions of the calibration
        customers (sum of E[Y(t) | x, t_x, T]) with those made. sbg, on subscriptions: cohorts by month of the first start,
        churn on the last ended_at when no subscription is open at calibration_end, renewals counted in whole months; CLV
        is the mean first MRR × margin × survival, discounted monthly. Groups with fewer than 500 customers are pulled toward
        the pooled fit (pooled_weight). Parameters carry their published names (r, alpha, a, b; p, q, gamma; alpha, beta).
        """;

    public static RouteGroupBuilder MapCustomerValueEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Customer value");
        group.MapPost("/customer-value/fit", Fit)
            .WithTimeLimit(o => o.PlanningTimeLimitSeconds)
            .RequireRole(Role.Ingest)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AcceptsRespondAsync<CustomerValueFitRequest>()
            .WithName("FitCustomerValue")
            .WithSummary("Fit CLV models per acquisition channel on sufficient statistics aggregated in PostgreSQL: bg_nbd (BG/NBD + Gamma–Gamma, orders) or sbg (subscriptions); holdout check, frequency histogram, CLV with interval; stored.")
            .WithDescription(FitDescription);
        group.MapGet("/customer-value", List)
            .RequireRole(Role.Read)
            .WithName("ListCustomerValueFits")
            .WithSummary("Stored customer-value fits, newest first; from/to filter the day they were made. CSV has one row per fit, group and parameter.");
        group.MapGet("/customer-value/latest", Latest)
            .RequireRole(Role.Read)
            .WithName("GetLatestCustomerValueFit")
            .WithSummary("The newest customer-value fit; CSV has one row per group and parameter.");
        group.MapGet("/customer-value/{id:guid}", Get)
            .RequireRole(Role.Read)
            .WithName("GetCustomerValueFit")
            .WithSummary("One customer-value fit; CSV has one row per group and parameter.");
        return group;
    }

    private static async Task<Results<Created<CustomerValueFitResponse>, ValidationProblem>> Fit(string ws, CustomerValueFitRequest request,
        CustomerValueService service, CancellationToken ct) =>
        await service.FitAsync(ws, request, ct) switch
        {
            Outcome<CustomerValueFitResponse>.Done(var fit) => TypedResults.Created($"/v1/workspaces/{ws}/customer-value/{fit.Id}", fit),
            Outcome<CustomerValueFitResponse>.Invalid(var errors) => TypedResults.ValidationProblem(errors),
            var other => throw new InvalidOperationException($"unexpected customer-value outcome {other}"),
        };

    /// <summary>One CSV row: a parameter of one model in one group of one fit; the pooled fit's rows have scope pooled and no group.</summary>
    private sealed record Row(CustomerValueFitResponse Fit, CustomerValueGroup Group, bool Pooled, CustomerValueModelFit Model, string Name, CustomerValueParameter Parameter);

    private static IEnumerable<Row> Rows(CustomerValueFitResponse fit) =>
        new[] { (fit.Pooled, true) }.Concat(fit.Groups.Select(g => (g, false)))
            .SelectMany(x => x.Item1.Models.SelectMany(m => m.Parameters.Select(p => new Row(fit, x.Item1, x.Item2, m, p.Key, p.Value))));

    private static readonly IReadOnlyList<CsvColumn<Row>> Columns =
    [
        CsvColumn<Row>.Text("fit_id", r => r.Fit.Id.ToString()),
        CsvColumn<Row>.Timestamp("created_at", r => r.Fit.CreatedAt),
        CsvColumn<Row>.Text("time_unit", r => r.Fit.TimeUnit),
        CsvColumn<Row>.Date("calibration_end", r => r.Fit.CalibrationEnd),
        CsvColumn<Row>.Text("scope", r => r.Pooled ? "pooled" : "group"),
        CsvColumn<Row>.Text("group", r => r.Group.Group),
        CsvColumn<Row>.Text("model", r => r.Model.Model),
        CsvColumn<Row>.Text("parameter", r => r.Name),
        CsvColumn<Row>.Exact("estimate", r => r.Parameter.Estimate),
        CsvColumn<Row>.Exact("standard_error", r => r.Parameter.StandardError),
        CsvColumn<Row>.Exact("lower_90", r => r.Parameter.Lower90),
        CsvColumn<Row>.Exact("upper_90", r => r.Parameter.Upper90),
        CsvColumn<Row>.Exact("log_likelihood", r => r.Model.LogLikelihood),
        CsvColumn<Row>.Count("customers", r => r.Model.Customers),
        CsvColumn<Row>.Share("pooled_weight", r => r.Model.PooledWeight),
        CsvColumn<Row>.Money("clv", r => r.Group.Clv.Point),
        CsvColumn<Row>.Money("clv_p5", r => r.Group.Clv.P5),
        CsvColumn<Row>.Money("clv_median", r => r.Group.Clv.Median),
        CsvColumn<Row>.Money("clv_p95", r => r.Group.Clv.P95),
        CsvColumn<Row>.Count("holdout_predicted", r => r.Group.Holdout?.Predicted),
        CsvColumn<Row>.Count("holdout_actual", r => r.Group.Holdout?.Actual),
    ];

    private static async Task<Results<Ok<Page<CustomerValueFitResponse>>, CsvResult<Row>>> List(string ws, [AsParameters] ListQuery query,
        HttpRequest request, CustomerValueStore store, IOptions<SpendOptimizerOptions> options, CancellationToken ct) =>
        await ListResults.RespondAsync(request, query, (q, n) => store.ListAsync(ws, q, n, ct), options.Value.MaxPageSize,
            items => items.SelectMany(Rows), Columns, "customer-value");

    private static Task<Results<Ok<CustomerValueFitResponse>, CsvResult<Row>, ProblemHttpResult>> Latest(string ws, HttpRequest request,
        CustomerValueStore store, [QueryChoices("json", "csv")] string? format = null, CancellationToken ct = default) => One(ws, null, request, store, format, ct);

    private static Task<Results<Ok<CustomerValueFitResponse>, CsvResult<Row>, ProblemHttpResult>> Get(string ws, Guid id, HttpRequest request,
        CustomerValueStore store, [QueryChoices("json", "csv")] string? format = null, CancellationToken ct = default) => One(ws, id, request, store, format, ct);

    private static async Task<Results<Ok<CustomerValueFitResponse>, CsvResult<Row>, ProblemHttpResult>> One(string ws, Guid? id,
        HttpRequest request, CustomerValueStore store, string? format, CancellationToken ct)
    {
        var fit = await store.GetAsync(ws, id, ct);
        if (fit is null)
            return TypedResults.Problem(statusCode: 404, title: "Fit not found",
                detail: id is null ? "No customer-value fit yet: POST …/customer-value/fit." : $"Workspace '{ws}' has no customer-value fit {id}.");
        return ListResults.WantsCsv(request, format)
            ? new CsvResult<Row>(Rows(fit), Columns, $"customer-value-{fit.Model}-{fit.Id}", null)
            : TypedResults.Ok(fit);
    }
}

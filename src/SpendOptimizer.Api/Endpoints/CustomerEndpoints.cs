using Microsoft.AspNetCore.Mvc;
using Npgsql;
using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Errors;
using SpendOptimizer.Api.Ingest;
using SpendOptimizer.Api.Options;
using SpendOptimizer.Api.Services;
using SpendOptimizer.Api.Storage;

namespace SpendOptimizer.Api.Endpoints;

/// <summary>Customers, orders and subscriptions in (loaded as touchpoints are: all rows or none, per load), and retention out.</summary>
public static class CustomerEndpoints
{
    public static RouteGroupBuilder MapCustomerEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Customers");
        group.MapPost("/customers", LoadCustomers)
            .RequireRole(Role.Ingest)
            .Accepts<Customer[]>("application/json", "text/csv")
            .IngestProblems()
            .WithName("LoadCustomers")
            .WithSummary("Load customers (customer_id, acquired_at, acquisition_channel; optional segment, plan) as CSV or a JSON array, streamed into PostgreSQL; all rows or none.");
        group.MapPost("/orders", LoadOrders)
            .RequireRole(Role.Ingest)
            .Accepts<Order[]>("application/json", "text/csv")
            .IngestProblems()
            .WithName("LoadOrders")
            .WithSummary("Load orders (customer_id, ordered_at, revenue; optional order_id unique in the workspace, gross_margin 0–1 or cost, acquisition_channel); all rows or none.");
        group.MapPost("/subscriptions", LoadSubscriptions)
            .RequireRole(Role.Ingest)
            .Accepts<Subscription[]>("application/json", "text/csv")
            .IngestProblems()
            .WithName("LoadSubscriptions")
            .WithSummary("Load subscriptions (customer_id, started_at, ended_at empty while active, mrr, acquisition_channel); all rows or none.");
        group.MapGet("/customers", ListCustomers)
            .RequireRole(Role.Read)
            .WithName("ListCustomers")
            .WithSummary("Stored customers by id; from/to filter the acquisition day (UTC). JSON pages or CSV.");
        group.MapGet("/orders", ListOrders)
            .RequireRole(Role.Read)
            .WithName("ListOrders")
            .WithSummary("Stored orders by customer and time; from/to filter the order day (UTC). JSON pages or CSV.");
        group.MapGet("/subscriptions", ListSubscriptions)
            .RequireRole(Role.Read)
            .WithName("ListSubscriptions")
            .WithSummary("Stored subscriptions by customer and start; from/to filter the start day (UTC). JSON pages or CSV.");
        foreach (var kind in new[] { "customers", "orders", "subscriptions" })
            group.MapDelete($"/{kind}/loads/{{load_id:guid}}", DeleteLoad(kind))
                .RequireRole(Role.Ingest)
                .Produces<DeletionResult>()
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .WithName("Delete" + char.ToUpperInvariant(kind[0]) + kind[1..^1] + "Load")
                .WithSummary($"Delete one {kind} load (the load_id its POST answered): its rows and the load, so the same file, with or without its Idempotency-Key, loads again.");
        group.MapGet("/retention", Retention)
            .RequireRole(Role.Read)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithName("GetRetention")
            .WithSummary("Retention per acquisition cohort (and channel): customers, share active after 7, 30, 90 days and 12 months with their denominators, monthly churn, ARPA, AOV, gross margin and 12-month net revenue retention split into expansion, contraction and churn. JSON or CSV.");
        group.MapGet("/retention/triangle", Triangle)
            .RequireRole(Role.Read)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithName("GetRetentionTriangle")
            .WithSummary("Cohort triangle: cohorts down, months since acquisition 0 … months across, each cell the share of the cohort active that month (empty until it has elapsed). JSON or CSV.");
        return group;
    }

    /// <param name="idempotencyKey">Optional. A retry with the same key after any failure loads at most once and gets the first answer again.</param>
    private static Task<Ok<CustomerLoadResult>> LoadCustomers(string ws, HttpRequest request, HttpResponse response, CustomerStore store,
        IOptions<SpendOptimizerOptions> options, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CancellationToken ct) =>
        LoadAsync(CustomerStore.Customers, CustomerUpload.Schema, ws, request, response, store, options.Value, idempotencyKey, ct);

    /// <param name="idempotencyKey">Optional. A retry with the same key after any failure loads at most once and gets the first answer again.</param>
    private static Task<Ok<CustomerLoadResult>> LoadOrders(string ws, HttpRequest request, HttpResponse response, CustomerStore store,
        IOptions<SpendOptimizerOptions> options, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CancellationToken ct) =>
        LoadAsync(CustomerStore.Orders, OrderUpload.Schema, ws, request, response, store, options.Value, idempotencyKey, ct);

    /// <param name="idempotencyKey">Optional. A retry with the same key after any failure loads at most once and gets the first answer again.</param>
    private static Task<Ok<CustomerLoadResult>> LoadSubscriptions(string ws, HttpRequest request, HttpResponse response, CustomerStore store,
        IOptions<SpendOptimizerOptions> options, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CancellationToken ct) =>
        LoadAsync(CustomerStore.Subscriptions, SubscriptionUpload.Schema, ws, request, response, store, options.Value, idempotencyKey, ct);

    private static async Task<Ok<CustomerLoadResult>> LoadAsync<T>(CustomerStore.Table<T> table, TableSchema schema, string ws, HttpRequest request,
        HttpResponse response, CustomerStore store, SpendOptimizerOptions limits, string? idempotencyKey, CancellationToken ct)
    {
        if (idempotencyKey is { Length: > 200 })
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid Idempotency-Key", "Idempotency-Key is at most 200 characters.");
        if (idempotencyKey is not null && await store.FindLoadAsync(ws, table.Kind, idempotencyKey, ct) is { } done)
            return Replayed(response, done);

        await using var source = await Upload.OpenAsync(request, schema, limits.MaxBodyBytes);
        var errors = new RowErrors(limits.MaxReportedErrors);
        var row = new InputRow(schema, errors);
        try
        {
            return TypedResults.Ok(await store.LoadAsync(table, ws, idempotencyKey, source, row, errors, limits.MaxReportedErrors, ct));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "customer_loads_idempotency")
        {
            // The same key's load committed while this one ran; this one rolled back whole.
            return Replayed(response, (await store.FindLoadAsync(ws, table.Kind, idempotencyKey!, CancellationToken.None))!);
        }
    }

    private static Ok<CustomerLoadResult> Replayed(HttpResponse response, CustomerLoadResult load)
    {
        response.Headers["Idempotent-Replayed"] = "true";
        return TypedResults.Ok(load);
    }

    private static async Task<Results<Ok<Page<Customer>>, CsvResult<Customer>>> ListCustomers(string ws, [AsParameters] ListQuery query,
        HttpRequest request, CustomerStore store, IOptions<SpendOptimizerOptions> options, CancellationToken ct) =>
        await ListResults.RespondAsync(request, query, (q, n) => store.ListCustomersAsync(ws, q, n, ct), options.Value.MaxPageSize, CustomerUpload.Columns, "customers");

    private static async Task<Results<Ok<Page<Order>>, CsvResult<Order>>> ListOrders(string ws, [AsParameters] ListQuery query,
        HttpRequest request, CustomerStore store, IOptions<SpendOptimizerOptions> options, CancellationToken ct) =>
        await ListResults.RespondAsync(request, query, (q, n) => store.ListOrdersAsync(ws, q, n, ct), options.Value.MaxPageSize, OrderUpload.Columns, "orders");

    private static async Task<Results<Ok<Page<Subscription>>, CsvResult<Subscription>>> ListSubscriptions(string ws, [AsParameters] ListQuery query,
        HttpRequest request, CustomerStore store, IOptions<SpendOptimizerOptions> options, CancellationToken ct) =>
        await ListResults.RespondAsync(request, query, (q, n) => store.ListSubscriptionsAsync(ws, q, n, ct), options.Value.MaxPageSize, SubscriptionUpload.Columns, "subscriptions");

    private static Func<string, Guid, Deleter, DeletionService, CancellationToken, Task<Results<Ok<DeletionResult>, ProblemHttpResult>>> DeleteLoad(string kind) =>
        async (string ws, [FromRoute(Name = "load_id")] Guid loadId, Deleter who, DeletionService deletions, CancellationToken ct) =>
            await deletions.CustomerLoadAsync(ws, who, kind, loadId, ct) switch
            {
                DeletionService.Removed r => TypedResults.Ok(new DeletionResult(r.Rows)),
                DeletionService.Missing m => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: m.Title, detail: m.Detail),
                var other => throw new InvalidOperationException($"unexpected deletion outcome {other}"),
            };

    private static async Task<Results<Ok<RetentionReport>, CsvResult<RetentionRow>>> Retention(string ws, [AsParameters] RetentionQuery query,
        HttpRequest request, RetentionService retention, CancellationToken ct)
    {
        var report = await retention.ReportAsync(ws, query, ct);
        return ListResults.WantsCsv(request, query.Format)
            ? new CsvResult<RetentionRow>(report.Cohorts, RetentionColumns, $"retention-{report.Source.ToString().ToLowerInvariant()}", null)
            : TypedResults.Ok(report);
    }

    private static async Task<Results<Ok<RetentionTriangle>, CsvResult<TriangleRow>>> Triangle(string ws, [AsParameters] TriangleQuery query,
        HttpRequest request, RetentionService retention, CancellationToken ct)
    {
        var triangle = await retention.TriangleAsync(ws, query, ct);
        if (!ListResults.WantsCsv(request, query.Format)) return TypedResults.Ok(triangle);
        List<CsvColumn<TriangleRow>> columns =
        [
            CsvColumn<TriangleRow>.Date("cohort", r => r.Cohort),
            CsvColumn<TriangleRow>.Text("channel", r => r.Channel),
            CsvColumn<TriangleRow>.Integer("customers", r => r.Customers),
            .. Enumerable.Range(0, triangle.Months + 1).Select(k => CsvColumn<TriangleRow>.Share($"m{k}", r => r.Active[k])),
        ];
        return new CsvResult<TriangleRow>(triangle.Cohorts, columns, $"retention-triangle-{triangle.Source.ToString().ToLowerInvariant()}", null);
    }

    private static CsvColumn<RetentionRow>[] ShareColumns(string name, Func<RetentionRow, RetentionShare> share) =>
    [
        CsvColumn<RetentionRow>.Share(name, r => share(r).Share),
        CsvColumn<RetentionRow>.Integer(name + "_eligible", r => share(r).Eligible),
        CsvColumn<RetentionRow>.Integer(name + "_retained", r => share(r).Retained),
    ];

    private static readonly IReadOnlyList<CsvColumn<RetentionRow>> RetentionColumns =
    [
        CsvColumn<RetentionRow>.Date("cohort", r => r.Cohort),
        CsvColumn<RetentionRow>.Text("channel", r => r.Channel),
        CsvColumn<RetentionRow>.Integer("customers", r => r.Customers),
        .. ShareColumns("active_7d", r => r.Active7d),
        .. ShareColumns("active_30d", r => r.Active30d),
        .. ShareColumns("active_90d", r => r.Active90d),
        .. ShareColumns("active_12m", r => r.Active12m),
        CsvColumn<RetentionRow>.Share("monthly_churn", r => r.MonthlyChurn),
        CsvColumn<RetentionRow>.Integer("orders", r => r.Orders),
        CsvColumn<RetentionRow>.Money("revenue", r => r.Revenue),
        CsvColumn<RetentionRow>.Money("arpa", r => r.Arpa),
        CsvColumn<RetentionRow>.Money("aov", r => r.Aov),
        CsvColumn<RetentionRow>.Share("gross_margin", r => r.GrossMargin),
        CsvColumn<RetentionRow>.Integer("nrr_eligible", r => r.NrrEligible),
        CsvColumn<RetentionRow>.Money("nrr_base", r => r.NrrBase),
        CsvColumn<RetentionRow>.Money("nrr_month12", r => r.NrrMonth12),
        CsvColumn<RetentionRow>.Money("expansion", r => r.Expansion),
        CsvColumn<RetentionRow>.Money("contraction", r => r.Contraction),
        CsvColumn<RetentionRow>.Money("churned", r => r.Churned),
        CsvColumn<RetentionRow>.Ratio("nrr_12m", r => r.Nrr12),
    ];
}

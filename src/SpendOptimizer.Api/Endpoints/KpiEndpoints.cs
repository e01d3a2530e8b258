using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Services;

namespace SpendOptimizer.Api.Endpoints;

public static class KpiEndpoints
{
    public static RouteGroupBuilder MapKpiEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("KPIs");
        group.MapGet("/kpis", Get)
            .RequireRole(Role.Read)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithName("GetKpis")
            .WithSummary("Unit-economics KPIs per period (week, month or total) and channel plus the blend (channel \"all\"): spend, conversions, revenue, new customers, CAC, ROAS, payback months and CLV:CAC, attributed and incremental.");
        return group;
    }

    private static async Task<Results<Ok<KpiResponse>, CsvResult<KpiRow>, ValidationProblem>> Get(string ws, [AsParameters] KpiQuery query,
        HttpRequest request, KpiService kpis, CancellationToken ct) =>
        await kpis.GetAsync(ws, query, ct) switch
        {
            Outcome<KpiResponse>.Done(var k) => ListResults.WantsCsv(request, query.Format)
                ? new CsvResult<KpiRow>(k.Rows, Columns, $"kpis-{k.Grain.ToString().ToLowerInvariant()}", null)
                : TypedResults.Ok(k),
            Outcome<KpiResponse>.Invalid(var errors) => TypedResults.ValidationProblem(errors),
            var other => throw new InvalidOperationException($"unexpected KPI outcome {other}"),
        };

    private static readonly IReadOnlyList<CsvColumn<KpiRow>> Columns =
    [
        CsvColumn<KpiRow>.Date("period", r => r.Period),
        CsvColumn<KpiRow>.Text("channel", r => r.Channel),
        CsvColumn<KpiRow>.Money("spend", r => r.Spend),
        CsvColumn<KpiRow>.Count("conversions", r => r.Conversions),
        CsvColumn<KpiRow>.Money("revenue", r => r.Revenue),
        CsvColumn<KpiRow>.Count("new_customers", r => r.NewCustomers),
        CsvColumn<KpiRow>.Money("cac", r => r.Cac),
        CsvColumn<KpiRow>.Ratio("roas", r => r.Roas),
        CsvColumn<KpiRow>.Months("payback_months", r => r.PaybackMonths),
        CsvColumn<KpiRow>.Ratio("clv_cac", r => r.ClvCac),
        CsvColumn<KpiRow>.Factor("factor", r => r.Factor),
        CsvColumn<KpiRow>.Factor("factor_lower_90", r => r.FactorLower90),
        CsvColumn<KpiRow>.Factor("factor_upper_90", r => r.FactorUpper90),
        CsvColumn<KpiRow>.Count("incremental_conversions", r => r.IncrementalConversions),
        CsvColumn<KpiRow>.Money("incremental_revenue", r => r.IncrementalRevenue),
        CsvColumn<KpiRow>.Count("incremental_new_customers", r => r.IncrementalNewCustomers),
        CsvColumn<KpiRow>.Money("incremental_cac", r => r.IncrementalCac),
        CsvColumn<KpiRow>.Ratio("incremental_roas", r => r.IncrementalRoas),
        CsvColumn<KpiRow>.Months("incremental_payback_months", r => r.IncrementalPaybackMonths),
        CsvColumn<KpiRow>.Ratio("incremental_clv_cac", r => r.IncrementalClvCac),
        CsvColumn<KpiRow>.Money("clv", r => r.Clv),
        CsvColumn<KpiRow>.Text("clv_source", r => r.ClvSource is { } s ? Reasons.Code(s) : ""),
        CsvColumn<KpiRow>.Money("typed_clv", r => r.TypedClv),
        CsvColumn<KpiRow>.Money("fitted_clv", r => r.FittedClv),
        CsvColumn<KpiRow>.Money("fitted_clv_lower_90", r => r.FittedClvLower90),
        CsvColumn<KpiRow>.Money("fitted_clv_upper_90", r => r.FittedClvUpper90),
    ];
}

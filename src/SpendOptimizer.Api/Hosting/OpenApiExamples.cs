using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Core.Inputs;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace SpendOptimizer.Api.Hosting;

/// <summary>
/// Examples on the schemas client generators and BI users read first. A test checks every example's property
/// names against its schema, so an example cannot drift from the contract silently.
/// </summary>
public sealed class OpenApiExamples : ISchemaFilter
{
    private static readonly Dictionary<Type, string> Examples = new()
    {
        [typeof(PerformanceRow)] = """
            {"date": "2026-11-16", "channel": "paid_search", "spend": 12500, "impressions": 410000, "clicks": 9800,
             "conversions": 310, "revenue": 24800, "new_customers": 240, "grain": "week"}
            """,
        [typeof(UnitEconomics)] = """
            {"channel": "all", "arpa_monthly": 49, "gross_margin": 0.8, "monthly_churn": 0.04, "annual_discount_rate": 0.1}
            """,
        [typeof(LiftTestResponse)] = """
            {"id": "geo-2026-q3-social", "channel": "paid_social", "kind": "geo", "start": "2026-08-03", "end": "2026-08-30",
             "incremental_conversions": 410, "stderr": 95, "attributed_conversions": 620, "spend": 48000}
            """,
        [typeof(CreateAttributionRunRequest)] = """{"model": "markov", "source": "touchpoints", "from": "2026-01-01", "parameters": {"order": 2}}""",
        [typeof(FitResponseCurvesRequest)] = """{"from": "2025-01-06", "use_lift_tests": true}""",
        [typeof(CreateRecommendationRequest)] = """
            {"current": {"paid_search": 36000, "paid_social": 30000, "display": 12000, "tv": 60000}, "budget_mode": "within", "budget_tolerance": 0.005,
             "locks": ["tv"], "bounds": {"paid_search": {"max": 40000}}, "unreachable_limits": "closest",
             "limit_scope": "per_channel", "parameters": {"band_min": 0.1, "band_max": 0.2, "max_payback_months": 12, "min_clv_cac": 3}}
            """,
        [typeof(RecommendationLine)] = """
            {"channel": "paid_social", "current_spend": 30000, "recommended_spend": 34500, "change": 0.15, "current_conversions": 402,
             "conversions": 431.5, "customers": 318, "revenue": 33100, "cac": 108.5, "payback_months": 2.8, "clv_cac": 8.1,
             "marginal_return": 2.9, "reason": "band_edge", "explanation": "held at an edge of the band of allowed moves",
             "rise_weight": 0.86, "fall_weight": 1.12, "test_value": 640, "current_source": "request",
             "payback_probability": 0.97, "clv_cac_probability": 0.88, "unreachable": null}
            """,
        [typeof(GainSummary)] = """{"expected": 5200, "p10": 1900, "p50": 5100, "p90": 8700, "probability_positive": 0.97, "draws": 200}""",
        [typeof(PutScheduleRequest)] = """
            {"cron": "0 6 * * 1", "time_zone": "Europe/Berlin", "enabled": true, "refit_curves": true, "request": {"locks": ["tv"]}}
            """,
        [typeof(ScheduleRun)] = """
            {"due_at": "2026-11-23T05:00:00Z", "started_at": "2026-11-23T05:00:12Z", "finished_at": "2026-11-23T05:00:19Z",
             "status": "succeeded", "recommendation_id": "019ab5c2-7d1e-7c3a-9f0e-2b8d4c6a1e53", "missed": 0}
            """,
        [typeof(OutcomeLine)] = """
            {"channel": "paid_social", "days_with_data": 7, "recommended_spend": 34500, "actual_spend": 33900, "spend_followed": -0.0174,
             "predicted_conversions": 431.5, "expected_conversions": 428.2, "reported_conversions": 598, "actual_conversions": 418.6,
             "factor": 0.7, "error": -9.6, "percent_error": -0.0229, "predicted_revenue": 33100, "expected_revenue": 32850, "actual_revenue": 32300}
            """,
        [typeof(UpsertResult)] = """{"received": 624, "inserted": 620, "updated": 3, "unchanged": 1}""",
    };

    /// <summary>The schema types that carry an example, for the test that checks them.</summary>
    public static IReadOnlyCollection<Type> Types => Examples.Keys;

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is OpenApiSchema s && Examples.TryGetValue(context.Type, out var json)) s.Example = JsonNode.Parse(json);
    }
}

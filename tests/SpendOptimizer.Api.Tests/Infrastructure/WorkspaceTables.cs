namespace SpendOptimizer.Api.Tests.Infrastructure;

/// <summary>Every table that holds a workspace's rows: what "nothing changed" checks compare.</summary>
public static class WorkspaceTables
{
    public static readonly string[] All =
    [
        "channel_performance", "touchpoints", "touchpoint_loads", "paths", "lift_tests", "unit_economics", "api_keys",
        "attribution_runs", "response_fits", "recommendations", "plans", "schedules", "schedule_runs", "deletions",
        "customers", "orders", "subscriptions", "customer_loads", "customer_value_fits", "scenarios", "jobs",
    ];
}

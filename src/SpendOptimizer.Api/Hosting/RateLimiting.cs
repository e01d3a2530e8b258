using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Options;

namespace SpendOptimizer.Api.Hosting;

/// <summary>
/// A token bucket per API key, so one noisy loader or dashboard cannot starve the others. Calls without a key or with
/// one that is not of the issued shape share their client address's bucket, whatever they send, so a fresh garbage key
/// per request buys nothing. Health probes are never limited.
/// </summary>
public static class RateLimiting
{
    public static IServiceCollection AddPerKeyRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(o =>
        {
            o.OnRejected = OnRejectedAsync;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                // Health checks and scrapes come from the operator's own addresses (/metrics answers no one else).
                if (http.Request.Path.StartsWithSegments("/health")) return RateLimitPartition.GetNoLimiter("health");
                if (http.Request.Path.StartsWithSegments("/metrics")) return RateLimitPartition.GetNoLimiter("metrics");
                var limits = http.RequestServices.GetRequiredService<IOptions<SpendOptimizerOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter(PartitionOf(http), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.RateLimitBurst,
                    TokensPerPeriod = limits.RateLimitPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
        services.AddSingleton<UnknownKeyLimiter>();
        return services;
    }

    private static string PartitionOf(HttpContext http)
    {
        string? key = http.Request.Headers[WorkspaceAccessMiddleware.HeaderName];
        if (string.IsNullOrEmpty(key)) key = http.Request.Query[WorkspaceAccessMiddleware.QueryName];
        // Partitions are named by a hash, so keys are not kept in clear in the limiter's memory.
        return string.IsNullOrEmpty(key) || !http.RequestServices.GetRequiredService<ApiKeyStore>().IsWellFormed(key)
            ? UnknownKeyLimiter.AddressOf(http)
            : "key:" + Convert.ToHexString(ApiKeyFormat.Hash(key), 0, 12);
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
        await UnknownKeyLimiter.WriteTooManyAsync(http, retry, $"This key (or, without a valid key, this address) sent more requests than its limit allows; retry after {retry} s.");
    }
}

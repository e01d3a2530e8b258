using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

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
                if (http.Request.Path.StartsWithSegments("/health")) return RateLimitPartition.GetNoLimiter("health");
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

    public static string AddressOf(HttpContext http) => "addr:" + http.Connection.RemoteIpAddress;

    private static string PartitionOf(HttpContext http)
    {
        string? key = http.Request.Headers[WorkspaceAccessMiddleware.HeaderName];
        if (string.IsNullOrEmpty(key)) key = http.Request.Query[WorkspaceAccessMiddleware.QueryName];
        // Partitions are named by a hash, so keys are not kept in clear in the limiter's memory.
        return string.IsNullOrEmpty(key) || !http.RequestServices.GetRequiredService<ApiKeyStore>().IsWellFormed(key)
            ? AddressOf(http)
            : "key:" + Convert.ToHexString(ApiKeyFormat.Hash(key), 0, 12);
    }

    /// <summary>The 429 answer, also written by <see cref="WorkspaceAccessMiddleware"/> for an address out of unknown-key attempts.</summary>
    public static Task WriteTooManyAsync(HttpContext http, int retryAfterSeconds, string detail)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests", Detail = detail },
        }).AsTask();
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
        await WriteTooManyAsync(http, retry, $"This key (or, without a valid key, this address) sent more requests than its limit allows; retry after {retry} s.");
    }
}

/// <summary>
/// Keys of the issued shape that turn out unknown, counted per client address with the same burst and rate as a key's
/// bucket: each costs one lookup, so an address that has spent its allowance is refused before the next lookup.
/// </summary>
public sealed class UnknownKeyLimiter(IOptions<SpendOptimizerOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Value.RateLimitBurst,
            TokensPerPeriod = options.Value.RateLimitPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>Whether this address may still have an unknown key looked up (takes nothing).</summary>
    public bool MayLookUp(string address)
    {
        using var lease = _limiter.AttemptAcquire(address, 0);
        return lease.IsAcquired;
    }

    /// <summary>Counts one unknown key against the address.</summary>
    public void Charge(string address) => _limiter.AttemptAcquire(address, 1).Dispose();

    public void Dispose() => _limiter.Dispose();
}

using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using SpendOptimizer.Api.Options;

namespace SpendOptimizer.Api.Auth;

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
    public bool MayLookUp(string address) => _limiter.GetStatistics(address) is not { CurrentAvailablePermits: <= 0 };

    /// <summary>Counts one unknown key against the address.</summary>
    public void Charge(string address) => _limiter.AttemptAcquire(address, 1).Dispose();

    public static string AddressOf(HttpContext http) => "addr:" + http.Connection.RemoteIpAddress;

    /// <summary>The 429 answer: for a key or address over its rate limit, and for an address out of unknown-key attempts.</summary>
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

    public void Dispose() => _limiter.Dispose();
}

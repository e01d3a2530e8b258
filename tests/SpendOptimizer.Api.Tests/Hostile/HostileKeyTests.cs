using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Tests.Infrastructure;
using static SpendOptimizer.Api.Tests.Hostile.HostileAnswers;

namespace SpendOptimizer.Api.Tests.Hostile;

/// <summary>
/// Keys that are not keys: refused before any lookup, and limited per client address however many different ones
/// are sent. Each test runs its own host, so the lookup counter and the buckets see only its requests.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HostileKeyTests
{
    private static ApiFactory Host(int burst, int perSecond) => new()
    {
        Configure = b =>
        {
            b.UseSetting("SpendOptimizer:RateLimitBurst", burst.ToString());
            b.UseSetting("SpendOptimizer:RateLimitPerSecond", perSecond.ToString());
        },
    };

    private static string WellFormedUnknown() => ApiKeyFormat.Generate();

    private static HttpRequestMessage Get(string ws, string? headerKey, string? queryKey = null)
    {
        var uri = $"/v1/workspaces/{ws}/performance" + (queryKey is null ? "" : "?api_key=" + Uri.EscapeDataString(queryKey));
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (headerKey is not null) request.Headers.TryAddWithoutValidation("X-Api-Key", headerKey);
        return request;
    }

    [Fact]
    public async Task MalformedKeysAreRefused401WithoutAnyKeyLookup()
    {
        await using var host = Host(1_000_000, 1_000_000);
        var ws = await host.CreateWorkspaceAsync();
        var store = host.Services.GetRequiredService<ApiKeyStore>();
        using var client = host.CreateClient();
        string[] garbage =
        [
            "garbage", "sok_", "sok_short", ws.ReadKey[..^1], ws.ReadKey + "x", "sok_" + new string('!', 43), "SOK_" + ws.ReadKey[4..],
            ws.ReadKey[..^1] + "=", new string('a', 10_000), "' or 1=1 --",
        ];
        var before = store.Lookups;
        foreach (var key in garbage)
        {
            using var inHeader = await client.SendAsync(Get(ws.Id, key));
            await AssertRefusedAsync(inHeader, $"header key '{Short(key)}'", 401, "not an API key");
            using var inQuery = await client.SendAsync(Get(ws.Id, null, key));
            await AssertRefusedAsync(inQuery, $"query key '{Short(key)}'", 401, "api_key");
        }
        Assert.Equal(before, store.Lookups);

        // The counter does see lookups: a key of the issued shape that is not stored costs exactly one.
        using var unknown = await client.SendAsync(Get(ws.Id, WellFormedUnknown()));
        await AssertRefusedAsync(unknown, "unknown well-formed key", 401, "not valid");
        Assert.Equal(before + 1, store.Lookups);
        using var valid = await client.SendAsync(Get(ws.Id, ws.ReadKey));
        Assert.Equal(200, (int)valid.StatusCode);
    }

    [Fact]
    public async Task DistinctGarbageKeysFromOneClientGet429AfterTheBurst()
    {
        const int burst = 5;
        await using var host = Host(burst, 1);
        var ws = await host.CreateWorkspaceAsync();
        using var client = host.CreateClient();
        var statuses = new List<int>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 30; i++)
        {
            using var response = await client.SendAsync(Get(ws.Id, $"garbage-{Guid.NewGuid():N}"));
            statuses.Add((int)response.StatusCode);
            if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
            {
                await AssertRefusedAsync(response, "garbage key over the limit", 429, "retry");
                Assert.True(response.Headers.RetryAfter is not null);
            }
        }
        Assert.All(statuses, s => Assert.True(s is 401 or 429, $"status {s}"));
        // The burst, then one a second: the first requests are 401, and no more get through than the bucket refilled.
        Assert.All(statuses.Take(burst), s => Assert.Equal(401, s));
        AssertWithinTheBucket(statuses, burst, 1, clock.Elapsed);
    }

    [Fact]
    public async Task DistinctUnknownKeysOfTheIssuedShapeAreLimitedPerAddressAndStopCostingLookups()
    {
        const int burst = 5;
        await using var host = Host(burst, 1);
        var ws = await host.CreateWorkspaceAsync();
        var store = host.Services.GetRequiredService<ApiKeyStore>();
        using var client = host.CreateClient();
        var before = store.Lookups;
        var statuses = new List<int>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 30; i++)
        {
            using var response = await client.SendAsync(Get(ws.Id, WellFormedUnknown()));
            statuses.Add((int)response.StatusCode);
            if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
                await AssertRefusedAsync(response, "unknown key over the limit", 429, "retry");
        }
        Assert.All(statuses, s => Assert.True(s is 401 or 429, $"status {s}"));
        AssertWithinTheBucket(statuses, burst, 1, clock.Elapsed);
        // Each 401 cost one lookup; no 429 did.
        Assert.Equal(statuses.Count(s => s == 401), store.Lookups - before);
    }

    /// <summary>
    /// A token bucket lets through at most the burst plus what it refilled while the requests ran, however slow the machine
    /// (a bound on the limiter, not on speed): on a quick machine most of 30 are refused, on a loaded one fewer, never none
    /// past the refill.
    /// </summary>
    private static void AssertWithinTheBucket(List<int> statuses, int burst, int perSecond, TimeSpan elapsed)
    {
        var allowed = burst + (int)Math.Ceiling(elapsed.TotalSeconds * perSecond) + 1;
        Assert.True(statuses.Count(s => s == 401) <= allowed, $"{statuses.Count(s => s == 401)} let through in {elapsed.TotalSeconds:F1} s, bucket allows {allowed}: {string.Join(",", statuses)}");
        if (allowed < statuses.Count) Assert.Contains(429, statuses);
    }
}

using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Worlds;
using Xunit.Abstractions;

namespace SpendOptimizer.Api.Tests.Hostile;

/// <summary>
/// Every case of <see cref="HostileCorpus"/> against a workspace that already holds data: a refusal is a 4xx problem
/// details and leaves every table as it was; nothing is ever a 5xx.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HostileInputTests(ITestOutputHelper output)
{
    private const int SliceCount = 6;

    /// <summary>The corpus in slices, each with its own workspace, so no one test holds hundreds of requests on a loaded machine.</summary>
    public static TheoryData<int> Slices() => [.. Enumerable.Range(0, SliceCount)];

    [Theory]
    [MemberData(nameof(Slices))]
    public async Task EveryMalformedInputIsA4xxProblemThatChangesNothingAndNeverA5xx(int slice)
    {
        await using var host = HostileHost.Create();
        var ws = await host.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, SyntheticWorld.Generate(seed: 9));
        using var client = ws.Admin();
        // This checks answers, not speed: on a loaded machine one large case has outlasted HttpClient's 100 s default.
        client.Timeout = TimeSpan.FromMinutes(10);
        var slowest = (Name: "", Seconds: 0.0);
        var failures = new List<string>();
        var counts = new Dictionary<string, int>();
        var tried = 0;
        foreach (var c in HostileCorpus.Cases().Where((_, i) => i % SliceCount == slice))
        {
            tried++;
            counts[c.Route] = counts.GetValueOrDefault(c.Route) + 1;
            var before = await HostileHost.FingerprintAsync(ws.Id);
            using var request = new HttpRequestMessage(new HttpMethod(c.Method), $"/v1/workspaces/{ws.Id}/{c.Route}") { Content = new ByteArrayContent(c.Body) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            using var response = await client.SendAsync(request);
            var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (seconds > slowest.Seconds) slowest = (c.Name, seconds);
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            if (status >= 500) failures.Add($"{c.Name}: {status} {Short(text)}");
            else if (status >= 400)
            {
                if (c.Expect == Expect.Accept) failures.Add($"{c.Name}: refused a valid input, {status} {Short(text)}");
                if (response.Content.Headers.ContentType?.MediaType != "application/problem+json" || !IsProblem(text, status))
                    failures.Add($"{c.Name}: {status} is not a problem details answer");
                if (await HostileHost.FingerprintAsync(ws.Id) != before) failures.Add($"{c.Name}: refused with {status} but stored data changed");
            }
            else if (c.Expect == Expect.Reject) failures.Add($"{c.Name}: accepted with {status}, expected a refusal");
        }
        // A valid schedule may have been set along the way; it must not wait for a runner of another test.
        await client.DeleteAsync($"/v1/workspaces/{ws.Id}/schedule");
        output.WriteLine($"slice {slice}: slowest case {slowest.Name}, {slowest.Seconds:F1} s");
        output.WriteLine($"slice {slice}: {tried} hostile inputs tried: " + string.Join(", ", counts.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")));
        Assert.True(failures.Count == 0, $"{failures.Count} of {tried} inputs failed:\n" + string.Join("\n", failures.Take(60)));
    }

    private static bool IsProblem(string text, int status)
    {
        try
        {
            var problem = JsonDocument.Parse(text).RootElement;
            return problem.GetProperty("status").GetInt32() == status && problem.TryGetProperty("title", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Short(string text) => text.Length > 300 ? text[..300] + "…" : text;
}

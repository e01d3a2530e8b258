using System.Text;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SpendOptimizer.Api.Tests.Hostile;

/// <summary>A host for generated hostile traffic, with a workspace holding one valid row per upload route.</summary>
public sealed class GeneratedHostileHost : IAsyncLifetime
{
    public ApiFactory Factory { get; } = HostileHost.Create();
    public TestWorkspace Workspace { get; private set; } = null!;
    public HostileGenerator Generator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Workspace = await Factory.CreateWorkspaceAsync();
        using var client = Workspace.Admin();
        foreach (var (route, method, header, row) in HostileCorpus.CsvRoutes)
        {
            using var stored = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/v1/workspaces/{Workspace.Id}/{route}")
            {
                Content = TestWorkspace.Csv($"{header}\n{row}\n"),
            });
            Assert.True(stored.IsSuccessStatusCode, await stored.Content.ReadAsStringAsync());
        }
        var doc = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        Generator = new HostileGenerator(doc, Workspace.Id);
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

/// <summary>
/// A fixed sample of <see cref="HostileGenerator"/> (tests/SpendOptimizer.Benchmarks/hostile.sh runs the full set), in
/// slices so each test stays short: never a 5xx, every refusal problem details without internals, and a refused request
/// leaves every table of the workspace as it was.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class GeneratedHostileTests(GeneratedHostileHost host, ITestOutputHelper output) : IClassFixture<GeneratedHostileHost>
{
    private const int PerSlice = 60;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public async Task GeneratedHostileRequestsAreRefusedCleanlyAndChangeNothing(int slice)
    {
        var ws = host.Workspace;
        using var client = ws.Admin();
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        foreach (var c in host.Generator.Cases(seed: 20261201 * slice, count: PerSlice))
        {
            // The in-memory server refuses a NUL in the path on the client side; Kestrel's answer to it is KestrelLimitTests'.
            if (c.KestrelRefuses) continue;
            var before = await HostileHost.FingerprintAsync(ws.Id);
            using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Target);
            if (c.Body is not null)
            {
                request.Content = new ByteArrayContent(c.Body);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
            }
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var text = await response.Content.ReadAsStringAsync();
            if (HostileVerdict.Fault(c, status, response.Content.Headers.ContentType?.MediaType, text) is { } fault)
                failures.Add($"{c.Name}: {fault}: {HostileAnswers.Short(text)}");
            else if (status >= 400 && await HostileHost.FingerprintAsync(ws.Id) != before)
                failures.Add($"{c.Name}: refused with {status} but stored data changed");
        }
        // A valid schedule may have been set along the way; it must not wait for a runner of another test.
        await client.DeleteAsync($"/v1/workspaces/{ws.Id}/schedule");
        output.WriteLine($"slice {slice}: " + string.Join(", ", statuses.Select(s => $"{s.Key} × {s.Value}")));
        Assert.True(failures.Count == 0, $"{failures.Count} of {PerSlice} requests failed:\n" + string.Join("\n", failures.Take(40)));
        Assert.True(statuses.Keys.Any(s => s >= 400), "no request of the slice was refused: the generator produced nothing hostile");
    }

    [Fact]
    public void TheSameSeedGivesTheSameRequestsAndEveryOperationIsReached()
    {
        var first = host.Generator.Cases(seed: 7, count: 400).ToList();
        var again = host.Generator.Cases(seed: 7, count: 400).ToList();
        Assert.Equal(first.Select(c => c.Name + c.Target + Convert.ToBase64String(c.Body ?? [])), again.Select(c => c.Name + c.Target + Convert.ToBase64String(c.Body ?? [])));
        Assert.Equal(host.Generator.Operations, first.Select(c => c.Name.Split(' ')[0] + " " + c.Name.Split(' ')[1]).Distinct().Count());
        // Every family of values reaches a request, and the encoding family reaches bytes no UTF-8 decoder accepts.
        // Enough cases that each operation's nested leaves are all drawn however many operations there are.
        var all = host.Generator.Cases(seed: 7, count: 120 * host.Generator.Operations).ToList();
        foreach (var family in HostileValues.All.Select(v => v.Family).Distinct())
            Assert.Contains(all, c => c.Name.Contains($" {family} ", StringComparison.Ordinal));
        var strict = new UTF8Encoding(false, true);
        Assert.Contains(all, c => c.Body is { } b && c.ContentType == "application/json" && !Decodes(strict, b));
        // Fields inside objects are reached too (today's plan, bounds, parameters, a schedule's request), as values and as names,
        // and each such body is the seed's JSON with only that value changed.
        foreach (var nested in new[] { "JSON .current.search = ", "JSON .bounds.search.min = ", "JSON .request.parameters.band_max = ", "JSON key .current." })
            Assert.Contains(all, c => c.Name.Contains(nested, StringComparison.Ordinal));
        var inParameters = all.Where(c => c.Name.Contains("recommendations JSON .parameters.", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(inParameters);
        Assert.All(inParameters, c => Assert.StartsWith("""{"current":{"search":1000,"social":500},"budget":1500,"bounds":{"search":{"min":100,"max":2000}},"locks":["social"],"parameters":{""",
            Encoding.Latin1.GetString(c.Body!)));
    }

    private static bool Decodes(Encoding strict, byte[] bytes)
    {
        try
        {
            strict.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}

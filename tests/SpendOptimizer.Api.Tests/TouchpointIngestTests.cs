using System.Net.Http.Json;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class TouchpointIngestTests(ApiFactory factory)
{
    private const string Table = "touchpoints";

    private const string Journeys = """
        journey_id,timestamp,event,channel,campaign,value
        j1,2025-03-01T10:00:00Z,touch,search,brand,
        j1,2025-03-02T11:30:00+01:00,touch,social,,
        j1,2025-03-02 12:00:00,conversion,,,120.5
        j2,2025-03-03T09:00:00Z,touch,display,retarget,0
        """;

    [Fact]
    public async Task CsvLoadStoresEveryEventAndListsThemAsCsv()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var response = await client.PostAsync($"/v1/workspaces/{ws.Id}/touchpoints", TestWorkspace.Csv(Journeys));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        Assert.Equal(4, body.GetProperty("rows").GetInt64());
        Assert.Equal(1, body.GetProperty("conversions").GetInt64());

        var csv = (await client.GetStringAsync($"/v1/workspaces/{ws.Id}/touchpoints?format=csv")).Split("\r\n");
        Assert.Equal("journey_id,timestamp,event,channel,campaign,value", csv[0]);
        Assert.Equal("j1,2025-03-01T10:00:00Z,touch,search,brand,0.00", csv[1]);
        Assert.Equal("j1,2025-03-02T10:30:00Z,touch,social,,0.00", csv[2]);
        Assert.Equal("j1,2025-03-02T12:00:00Z,conversion,,,120.50", csv[3]);
    }

    [Theory]
    [InlineData("j3,2025-03-04T00:00:00Z,touch,search,,\nj3,not-a-time,touch,search,,\n", 7, "timestamp")]
    [InlineData("j3,2025-03-04T00:00:00Z,conversion,search,,5\n", 6, "channel")]
    [InlineData("j3,2025-03-04T00:00:00Z,click,search,,\n", 6, "event")]
    [InlineData("j3,2025-03-04T00:00:00Z,conversion,,,-5\n", 6, "value")]
    public async Task BadRowNamesLineAndColumnAndNoRowOfTheLoadIsStored(string extra, int line, string column)
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var response = await client.PostAsync($"/v1/workspaces/{ws.Id}/touchpoints", TestWorkspace.Csv(Journeys + "\n" + extra));
        var error = Assert.Single((await response.ReadProblemAsync(400)).Errors());
        Assert.Equal(line, error.GetProperty("line").GetInt64());
        Assert.Equal(column, error.GetProperty("column").GetString());
        Assert.Empty(await ws.SnapshotAsync(Table));
        Assert.Empty(await ws.SnapshotAsync("touchpoint_loads"));
    }

    [Fact]
    public async Task LoadingTheSameEventsAgainIsAConflictAndDuplicatesNothing()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        (await client.PostAsync($"/v1/workspaces/{ws.Id}/touchpoints", TestWorkspace.Csv(Journeys))).EnsureSuccessStatusCode();
        var before = await ws.SnapshotAsync(Table);

        var again = await client.PostAsync($"/v1/workspaces/{ws.Id}/touchpoints", TestWorkspace.Csv(Journeys));
        await again.ReadProblemAsync(409);
        Assert.Equal(before, await ws.SnapshotAsync(Table));
    }

    [Fact]
    public async Task JsonIsRefusedWith415BecauseJourneysAreBulkCsv()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var response = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/touchpoints", new[] { new { journey_id = "j" } });
        await response.ReadProblemAsync(415);
        Assert.Empty(await ws.SnapshotAsync(Table));
    }
}

[Collection(ApiCollection.Name)]
public sealed class TouchpointIdempotencyTests(ApiFactory factory)
{
    [Fact]
    public async Task RetryWithTheSameIdempotencyKeyReplaysTheFirstAnswerAndStoresOnce()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        const string csv = "journey_id,timestamp,channel\nk1,2025-03-01T10:00:00Z,search\nk1,2025-03-01T11:00:00Z,email\n";
        HttpRequestMessage Send() => new(HttpMethod.Post, $"/v1/workspaces/{ws.Id}/touchpoints")
        {
            Content = TestWorkspace.Csv(csv),
            Headers = { { "Idempotency-Key", "load-2025-03-01" } },
        };
        var first = await client.SendAsync(Send());
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.True(first.IsSuccessStatusCode, firstBody);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));

        var retry = await client.SendAsync(Send());
        Assert.True(retry.IsSuccessStatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(firstBody, await retry.Content.ReadAsStringAsync());
        Assert.Equal(2, (await ws.SnapshotAsync("touchpoints")).Count);
        Assert.Single(await ws.SnapshotAsync("touchpoint_loads"));
    }
}

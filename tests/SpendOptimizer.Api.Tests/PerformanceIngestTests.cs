using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class PerformanceIngestTests(ApiFactory factory)
{
    private const string Table = "channel_performance";

    private const string GoodCsv = """
        date,channel,spend,impressions,clicks,conversions,revenue,new_customers
        2025-01-06,search,1000.5,50000,1200,40,4000,30
        2025-01-06,social,800,90000,900,20.5,1500,12
        2025-01-13,search,1100,52000,1300,44,4400,33
        """;

    [Fact]
    public async Task CsvUploadInsertsThenSameUploadIsUnchangedThenChangedRowIsUpdated()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var url = $"/v1/workspaces/{ws.Id}/performance";

        var first = await (await client.PutAsync(url, TestWorkspace.Csv(GoodCsv))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, first.GetProperty("inserted").GetInt32());
        Assert.Equal(0, first.GetProperty("updated").GetInt32());

        var again = await (await client.PutAsync(url, TestWorkspace.Csv(GoodCsv))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, again.GetProperty("inserted").GetInt32());
        Assert.Equal(3, again.GetProperty("unchanged").GetInt32());

        var changed = await client.PutAsJsonAsync(url, new[] { new { date = "2025-01-06", channel = "social", spend = 850 } }, ApiFactory.Json);
        var body = await changed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("updated").GetInt32());

        var rows = await ws.SnapshotAsync(Table);
        Assert.Equal(3, rows.Count);
        Assert.Contains(rows, r => r.Contains("social") && r.Contains(",850,"));
    }

    [Fact]
    public async Task WeeklyGrainIsStoredAndListedAsCsvWithStableColumns()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var ingest = ws.Ingest();
        (await ingest.PutAsync($"/v1/workspaces/{ws.Id}/performance?grain=week", TestWorkspace.Csv(GoodCsv))).EnsureSuccessStatusCode();

        using var reader = ws.Factory.CreateClient();
        var csv = await reader.GetStringAsync($"/v1/workspaces/{ws.Id}/performance?format=csv&api_key={ws.ReadKey}");
        var lines = csv.TrimEnd().Split("\r\n");
        Assert.Equal("date,channel,grain,spend,impressions,clicks,conversions,revenue,new_customers", lines[0]);
        Assert.Equal("2025-01-06,search,week,1000.50,50000,1200,40.00,4000.00,30.00", lines[1]);
        Assert.Equal(4, lines.Length);
    }

    [Fact]
    public async Task ListPagesWithCursorAndFiltersByDate()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        (await client.PutAsync($"/v1/workspaces/{ws.Id}/performance", TestWorkspace.Csv(GoodCsv))).EnsureSuccessStatusCode();

        var page1 = await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/performance?limit=2");
        Assert.Equal(2, page1.GetProperty("items").GetArrayLength());
        var cursor = page1.GetProperty("next_cursor").GetString();
        Assert.NotNull(cursor);
        var page2 = await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/performance?limit=2&cursor={cursor}");
        Assert.Equal("2025-01-13", page2.GetProperty("items")[0].GetProperty("date").GetString());
        Assert.Equal(JsonValueKind.Null, page2.GetProperty("next_cursor").ValueKind);

        var filtered = await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/performance?from=2025-01-07");
        Assert.Single(filtered.GetProperty("items").EnumerateArray());
    }

    public static TheoryData<string, int, string?, string> BadCsvCases => new()
    {
        // body after the header line, expected line, column, words the reason must contain
        { "2025-01-06,search,12x0\n", 2, "spend", "not a number" },
        { "2025-01-06,search,-5\n", 2, "spend", "negative" },
        { "06/01/2025,search,10\n", 2, "date", "date format" },
        { "2025-01-06,search,10\n2025-01-06,search,11\n", 3, null, "duplicate" },
        { "2025-01-06,,10\n", 2, "channel", "required" },
        { "2025-01-06,search,10\n2025-01-07,search,NaN\n", 3, "spend", "not a number" },
    };

    [Theory]
    [MemberData(nameof(BadCsvCases))]
    public async Task BadRowAnswersProblemNamingLineAndColumnAndStoresNothing(string rows, int line, string? column, string reason)
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var url = $"/v1/workspaces/{ws.Id}/performance";
        (await client.PutAsync(url, TestWorkspace.Csv(GoodCsv))).EnsureSuccessStatusCode();
        var before = await ws.SnapshotAsync(Table);

        // A valid row that would update stored data comes first: it must not be stored either.
        var body = "date,channel,spend\n2025-01-13,search,9999\n" + rows;
        var response = await client.PutAsync(url, TestWorkspace.Csv(body));
        var problem = await response.ReadProblemAsync(400);
        var error = Assert.Single(problem.Errors());
        Assert.Equal(line + 1, error.GetProperty("line").GetInt64());
        if (column is null) Assert.Equal(JsonValueKind.Null, error.GetProperty("column").ValueKind);
        else Assert.Equal(column, error.GetProperty("column").GetString());
        Assert.Contains(reason, error.GetProperty("reason").GetString());
        Assert.Equal(before, await ws.SnapshotAsync(Table));
    }

    [Fact]
    public async Task MissingAndUnknownColumnsAreNamedInTheHeader()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var response = await client.PutAsync($"/v1/workspaces/{ws.Id}/performance", TestWorkspace.Csv("date,channel,spend_usd\n2025-01-06,search,10\n"));
        var problem = await response.ReadProblemAsync(400);
        var errors = problem.Errors().ToList();
        Assert.Contains(errors, e => e.GetProperty("column").GetString() == "spend_usd" && e.GetProperty("reason").GetString()!.Contains("unknown column"));
        Assert.Contains(errors, e => e.GetProperty("column").GetString() == "spend" && e.GetProperty("reason").GetString() == "missing column");
        Assert.Empty(await ws.SnapshotAsync(Table));
    }

    [Fact]
    public async Task JsonRowErrorsNameTheRowAndProperty()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var rows = new object[]
        {
            new { date = "2025-01-06", channel = "search", spend = 10 },
            new { date = "2025-01-06", channel = "tv", spend = -1 },
        };
        var response = await client.PutAsJsonAsync($"/v1/workspaces/{ws.Id}/performance", rows, ApiFactory.Json);
        var error = Assert.Single((await response.ReadProblemAsync(400)).Errors());
        Assert.Equal(2, error.GetProperty("row").GetInt32());
        Assert.Equal("spend", error.GetProperty("column").GetString());
        Assert.Empty(await ws.SnapshotAsync(Table));
    }

    [Fact]
    public async Task BodyOverTheLimitAnswers413AndStoresNothing()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var big = new System.Text.StringBuilder("date,channel,spend\n");
        for (var day = 0; big.Length <= ApiFactory.TestBodyLimit; day++)
            big.Append(new DateOnly(2000, 1, 1).AddDays(day / 50).ToString("yyyy-MM-dd")).Append(",channel").Append(day % 50).Append(",1\n");
        var response = await client.PutAsync($"/v1/workspaces/{ws.Id}/performance", TestWorkspace.Csv(big.ToString()));
        await response.ReadProblemAsync(413);
        Assert.Empty(await ws.SnapshotAsync(Table));
    }

    [Fact]
    public async Task WrongContentTypeAnswers415()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var response = await client.PutAsync($"/v1/workspaces/{ws.Id}/performance", new StringContent("date,channel,spend\n2025-01-06,a,1\n", System.Text.Encoding.UTF8, "text/plain"));
        var problem = await response.ReadProblemAsync(415);
        Assert.Contains("text/csv", problem.GetProperty("detail").GetString());
        Assert.Empty(await ws.SnapshotAsync(Table));
    }

    [Fact]
    public async Task InvalidUtf8AnswersProblemAndStoresNothing()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var bytes = System.Text.Encoding.UTF8.GetBytes("date,channel,spend\n2025-01-06,caf\u00e9,1\n").ToList();
        bytes[bytes.Count - 5] = 0xFF; // breaks the é
        var content = new ByteArrayContent(bytes.ToArray());
        content.Headers.ContentType = new("text/csv");
        var response = await client.PutAsync($"/v1/workspaces/{ws.Id}/performance", content);
        await response.ReadProblemAsync(400);
        Assert.Empty(await ws.SnapshotAsync(Table));
    }

    [Fact]
    public async Task ReadKeyCannotWrite()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Reader();
        var response = await client.PutAsync($"/v1/workspaces/{ws.Id}/performance", TestWorkspace.Csv(GoodCsv));
        await response.ReadProblemAsync(403);
        Assert.Empty(await ws.SnapshotAsync(Table));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/workspaces/{ws.Id}/performance")).StatusCode);
    }
}

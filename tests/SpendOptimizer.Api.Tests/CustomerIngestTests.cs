using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class CustomerIngestTests(ApiFactory factory)
{
    private const string Customers = """
        customer_id,acquired_at,acquisition_channel,segment,plan
        c1,2025-03-01,search,smb,starter
        c2,2025-03-02T10:30:00+01:00,social,,
        """;

    private const string Orders = """
        order_id,customer_id,ordered_at,revenue,gross_margin,cost,acquisition_channel
        o1,c1,2025-03-01,100,0.4,,
        o2,c1,2025-03-05T12:00:00Z,50,,20,
        ,c9,2025-03-07,30,,,display
        """;

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, TestWorkspace ws, string route, HttpContent body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/workspaces/{ws.Id}/{route}") { Content = body };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> LoadedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    [Fact]
    public async Task CsvLoadsStoreEveryRowAndListThemAsCsvAndJson()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var customers = await LoadedAsync(await PostAsync(client, ws, "customers", TestWorkspace.Csv(Customers)));
        Assert.Equal(2, customers.GetProperty("rows").GetInt64());
        Assert.Equal("customers", customers.GetProperty("kind").GetString());
        Assert.Equal(3, (await LoadedAsync(await PostAsync(client, ws, "orders", TestWorkspace.Csv(Orders)))).GetProperty("rows").GetInt64());

        var csv = (await client.GetStringAsync($"/v1/workspaces/{ws.Id}/customers?format=csv")).Split("\r\n");
        Assert.Equal("customer_id,acquired_at,acquisition_channel,segment,plan", csv[0]);
        Assert.Equal("c1,2025-03-01T00:00:00Z,search,smb,starter", csv[1]);
        Assert.Equal("c2,2025-03-02T09:30:00Z,social,,", csv[2]);

        var orders = (await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/orders")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["o1", "o2", null], orders.Select(o => o.GetProperty("order_id").GetString()));
        Assert.Equal(0.4, orders[0].GetProperty("gross_margin").GetDouble());
        Assert.Equal(20, orders[1].GetProperty("cost").GetDouble());
        Assert.Equal("display", orders[2].GetProperty("acquisition_channel").GetString());
        Assert.Equal(JsonValueKind.Null, orders[0].GetProperty("acquisition_channel").ValueKind);
    }

    [Fact]
    public async Task JsonSubscriptionsLoadAndListWithAnOpenEnd()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var body = new StringContent("""
            [{"customer_id":"c1","started_at":"2025-01-01","mrr":49,"acquisition_channel":"search"},
             {"customer_id":"c2","started_at":"2025-01-05T08:00:00Z","ended_at":"2025-02-05","mrr":99.5,"acquisition_channel":"social"}]
            """, System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(2, (await LoadedAsync(await PostAsync(client, ws, "subscriptions", body))).GetProperty("rows").GetInt64());
        var csv = (await client.GetStringAsync($"/v1/workspaces/{ws.Id}/subscriptions?format=csv")).Split("\r\n");
        Assert.Equal("customer_id,started_at,ended_at,mrr,acquisition_channel", csv[0]);
        Assert.Equal("c1,2025-01-01T00:00:00Z,,49.00,search", csv[1]);
        Assert.Equal("c2,2025-01-05T08:00:00Z,2025-02-05T00:00:00Z,99.50,social", csv[2]);
    }

    [Theory]
    [InlineData("customers", "customer_id,acquired_at,acquisition_channel\nc1,2025-01-01,search\nc2,2025-01-02,\n", 3, "acquisition_channel")]
    [InlineData("customers", "customer_id,acquired_at,acquisition_channel\nc1,2025-01-01,search\nc2,01/02/2025,search\n", 3, "acquired_at")]
    [InlineData("orders", "customer_id,ordered_at,revenue,gross_margin\nc1,2025-01-01,10,0.5\nc1,2025-01-02,10,1.5\n", 3, "gross_margin")]
    [InlineData("orders", "customer_id,ordered_at,revenue,gross_margin,cost\nc1,2025-01-01,10,,2\nc1,2025-01-02,10,0.5,2\n", 3, "cost")]
    [InlineData("orders", "customer_id,ordered_at,revenue\nc1,2025-01-01,10\nc1,2025-01-02,-3\n", 3, "revenue")]
    [InlineData("subscriptions", "customer_id,started_at,ended_at,mrr,acquisition_channel\nc1,2025-01-01,,10,search\nc2,2025-02-01,2025-01-01,10,search\n", 3, "ended_at")]
    public async Task BadRowNamesLineAndColumnAndNothingOfTheLoadIsStored(string route, string csv, int line, string column)
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var problem = await (await PostAsync(client, ws, route, TestWorkspace.Csv(csv))).ReadProblemAsync(400);
        var error = Assert.Single(problem.Errors());
        Assert.Equal(line, error.GetProperty("line").GetInt64());
        Assert.Equal(column, error.GetProperty("column").GetString());
        Assert.Empty(await ws.SnapshotAsync(route));
        Assert.Empty(await ws.SnapshotAsync("customer_loads"));
    }

    [Fact]
    public async Task BadJsonRowNamesItsRowAndField()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var body = new StringContent("""[{"customer_id":"c1","ordered_at":"2025-01-01","revenue":5},{"customer_id":"c1","ordered_at":"2025-01-02","revenue":"lots"}]""",
            System.Text.Encoding.UTF8, "application/json");
        var error = Assert.Single((await (await PostAsync(client, ws, "orders", body)).ReadProblemAsync(400)).Errors());
        Assert.Equal(2, error.GetProperty("row").GetInt64());
        Assert.Equal("revenue", error.GetProperty("column").GetString());
        Assert.Empty(await ws.SnapshotAsync("orders"));
    }

    [Fact]
    public async Task ResendingWithTheSameIdempotencyKeyAnswersTheSameLoadAndStoresOnce()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var first = await LoadedAsync(await PostAsync(client, ws, "orders", TestWorkspace.Csv(Orders), "orders-march"));
        var before = await ws.SnapshotAsync("orders");
        var again = await PostAsync(client, ws, "orders", TestWorkspace.Csv(Orders), "orders-march");
        var second = await LoadedAsync(again);
        Assert.Equal("true", Assert.Single(again.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(first.GetProperty("load_id").GetString(), second.GetProperty("load_id").GetString());
        Assert.Equal(3, second.GetProperty("rows").GetInt64());
        Assert.Equal(before, await ws.SnapshotAsync("orders"));
        Assert.Single(await ws.SnapshotAsync("customer_loads"));

        // A key is per kind of load: the same key on customers is a load of its own.
        var customers = await LoadedAsync(await PostAsync(client, ws, "customers", TestWorkspace.Csv(Customers), "orders-march"));
        Assert.NotEqual(first.GetProperty("load_id").GetString(), customers.GetProperty("load_id").GetString());
    }

    [Fact]
    public async Task AnOrderIdAlreadyStoredIsAConflictAndDuplicatesNothing()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        await LoadedAsync(await PostAsync(client, ws, "orders", TestWorkspace.Csv(Orders)));
        var before = await ws.SnapshotAsync("orders");
        await (await PostAsync(client, ws, "orders", TestWorkspace.Csv("order_id,customer_id,ordered_at,revenue\no9,c1,2025-04-01,5\no1,c2,2025-04-01,5\n"))).ReadProblemAsync(409);
        Assert.Equal(before, await ws.SnapshotAsync("orders"));
        // Orders without an id may repeat: two identical purchases are two orders.
        await LoadedAsync(await PostAsync(client, ws, "orders", TestWorkspace.Csv("customer_id,ordered_at,revenue\nc1,2025-04-01,5\nc1,2025-04-01,5\n")));
        Assert.Equal(before.Count + 2, (await ws.SnapshotAsync("orders")).Count);
    }

    [Fact]
    public async Task OrderPagesFollowTheirCursorsToEveryRowOnce()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var rows = string.Join("\n", Enumerable.Range(0, 7).Select(i => $"c{i % 3},2025-01-0{1 + i % 2},{i}"));
        await LoadedAsync(await PostAsync(client, ws, "orders", TestWorkspace.Csv("customer_id,ordered_at,revenue\n" + rows + "\n")));
        var seen = new List<double>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/orders?limit=3" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("revenue").GetDouble()));
            cursor = page.GetProperty("next_cursor").GetString();
            pages++;
        } while (cursor is not null);
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (double)i).Order(), seen.Order());
    }

    [Theory]
    [InlineData("customers", "customer_id,acquired_at,acquisition_channel\na1,2025-01-01,search\na2,2025-01-02,search\n", "customer_id,acquired_at,acquisition_channel\nb1,2025-01-03,social\n")]
    [InlineData("orders", "customer_id,ordered_at,revenue\na1,2025-01-01,1\na2,2025-01-02,2\n", "customer_id,ordered_at,revenue\nb1,2025-01-03,3\n")]
    [InlineData("subscriptions", "customer_id,started_at,mrr,acquisition_channel\na1,2025-01-01,1,search\na2,2025-01-02,2,search\n", "customer_id,started_at,mrr,acquisition_channel\nb1,2025-01-03,3,social\n")]
    public async Task DeletingALoadRemovesExactlyItsRowsIsRecordedAndFreesItsKey(string route, string fileA, string fileB)
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var a = await LoadedAsync(await PostAsync(client, ws, route, TestWorkspace.Csv(fileA), "file-a"));
        await LoadedAsync(await PostAsync(client, ws, route, TestWorkspace.Csv(fileB)));
        var loadA = a.GetProperty("load_id").GetString();

        using var delete = await client.DeleteAsync($"/v1/workspaces/{ws.Id}/{route}/loads/{loadA}");
        Assert.Equal(2, (await LoadedAsync(delete)).GetProperty("removed").GetInt64());
        var left = (await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/{route}")).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("customer_id").GetString()).ToList();
        Assert.Equal(["b1"], left);
        await (await client.DeleteAsync($"/v1/workspaces/{ws.Id}/{route}/loads/{loadA}")).ReadProblemAsync(404);
        // A load id of another kind is not this route's load.
        var other = route == "orders" ? "customers" : "orders";
        await (await client.DeleteAsync($"/v1/workspaces/{ws.Id}/{other}/loads/{loadA}")).ReadProblemAsync(404);

        var again = await PostAsync(client, ws, route, TestWorkspace.Csv(fileA), "file-a");
        Assert.NotEqual(loadA, (await LoadedAsync(again)).GetProperty("load_id").GetString());
        Assert.False(again.Headers.Contains("Idempotent-Replayed"));

        using var reader = ws.Reader();
        var deletions = (await reader.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/deletions")).GetProperty("items").EnumerateArray().ToList();
        var entry = Assert.Single(deletions);
        Assert.Equal($"DELETE /v1/workspaces/{{ws}}/{route}/loads/{{load_id:guid}}", entry.GetProperty("route").GetString());
        Assert.Equal(loadA, entry.GetProperty("parameters").GetProperty("load_id").GetString());
        Assert.Equal(2, entry.GetProperty("removed").GetInt64());
    }
}

using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

/// <summary>Eight clients loading at once lose no row and duplicate none, also where their rows overlap.</summary>
[Collection(ApiCollection.Name)]
public sealed class ConcurrentIngestTests(ApiFactory factory)
{
    [Fact]
    public async Task EightConcurrentPerformanceLoadsKeepEveryRowOnce()
    {
        const int clients = 8, own = 400, shared = 2000;
        var ws = await factory.CreateWorkspaceAsync();
        var start = new DateOnly(2025, 1, 1);
        // Each client has its own channel, and every client also sends the same shared rows, in its own order.
        string Row(DateOnly d, string channel, double spend) =>
            string.Create(CultureInfo.InvariantCulture, $"{d:yyyy-MM-dd},{channel},{spend},100,10,2,50,1\n");
        string Body(int c)
        {
            var random = new Random(c);
            var sb = new StringBuilder("date,channel,spend,impressions,clicks,conversions,revenue,new_customers\n");
            var rows = Enumerable.Range(0, own).Select(i => Row(start.AddDays(i), $"client_{c}", c * 1000 + i))
                .Concat(Enumerable.Range(0, shared).Select(i => Row(start.AddDays(i % 500), $"shared_{i / 500}", i)))
                .OrderBy(_ => random.Next());
            foreach (var r in rows) sb.Append(r);
            return sb.ToString();
        }
        var results = await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            using var client = ws.Ingest();
            var response = await client.PutAsync($"/v1/workspaces/{ws.Id}/performance", TestWorkspace.Csv(Body(c)));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, text);
            return JsonDocument.Parse(text).RootElement;
        }));

        Assert.All(results, r => Assert.Equal(own + shared, r.GetProperty("received").GetInt32()));
        // The shared rows are inserted by exactly one client; the others find them unchanged.
        Assert.Equal(clients * own + shared, results.Sum(r => r.GetProperty("inserted").GetInt32()));
        Assert.Equal(0, results.Sum(r => r.GetProperty("updated").GetInt32()));

        await using var db = await ApiFactory.OpenDbAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            "select count(*), count(distinct (date, channel)), sum(spend) from channel_performance where workspace_id = @ws", db);
        cmd.Parameters.AddWithValue("ws", ws.Id);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(clients * own + shared, reader.GetInt64(0));
        Assert.Equal(clients * own + shared, reader.GetInt64(1));
        var expected = Enumerable.Range(0, clients).Sum(c => Enumerable.Range(0, own).Sum(i => (double)(c * 1000 + i))) + Enumerable.Range(0, shared).Sum(i => (double)i);
        Assert.Equal(expected, reader.GetDouble(2), 6);
    }
}

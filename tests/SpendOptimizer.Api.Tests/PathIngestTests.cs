using System.Net.Http.Json;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class PathIngestTests(ApiFactory factory)
{
    private const string Table = "paths";

    [Fact]
    public async Task ChannelAttributionPathFileIsStoredCanonicallyAndUpserted()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        const string csv = "path,total_conversions,total_conversion_value,total_null\n\"search>social\",10,1000,90\ndisplay > search,2,150,48\n";
        var first = await (await client.PutAsync($"/v1/workspaces/{ws.Id}/paths", TestWorkspace.Csv(csv))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, first.GetProperty("inserted").GetInt32());

        var update = new[] { new { path = "search > social", total_conversions = 11, total_conversion_value = 1100, total_null = 89 } };
        var second = await (await client.PutAsJsonAsync($"/v1/workspaces/{ws.Id}/paths", update)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, second.GetProperty("updated").GetInt32());

        var lines = (await client.GetStringAsync($"/v1/workspaces/{ws.Id}/paths?format=csv")).TrimEnd().Split("\r\n");
        Assert.Equal(["path,total_conversions,total_conversion_value,total_null", "display > search,2.00,150.00,48.00", "search > social,11.00,1100.00,89.00"], lines);
    }

    [Theory]
    [InlineData("search > > social,1,10,0", "path", "channel 2")]
    [InlineData("search,1,10,-1", "total_null", "negative")]
    [InlineData("search,0,0,0", "total_null", "conversions or nulls")]
    [InlineData("search,1,10,0\nsearch ,2,10,0", null, "duplicate")]
    public async Task BadPathRowIsNamedAndNothingIsStored(string rows, string? column, string reason)
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var response = await client.PutAsync($"/v1/workspaces/{ws.Id}/paths",
            TestWorkspace.Csv("path,total_conversions,total_conversion_value,total_null\nemail,1,1,1\n" + rows + "\n"));
        var error = Assert.Single((await response.ReadProblemAsync(400)).Errors());
        Assert.Equal(column, error.GetProperty("column").GetString());
        Assert.Contains(reason, error.GetProperty("reason").GetString());
        Assert.Empty(await ws.SnapshotAsync(Table));
    }
}

using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;
using static SpendOptimizer.Api.Tests.Hostile.HostileAnswers;

namespace SpendOptimizer.Api.Tests.Hostile;

/// <summary>A CSV header far wider than its route is refused naming its field count; a slightly wrong one still lists each column.</summary>
[Collection(ApiCollection.Name)]
public sealed class WideHeaderTests
{
    [Fact]
    public async Task AHeaderOfAMillionSeparatorsIsCountedFromItsFirstLineAndAFewUnknownColumnsAreEachListed()
    {
        await using var host = HostileHost.Create();
        var ws = await host.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var before = await HostileHost.FingerprintAsync(ws.Id);
        foreach (var separator in new[] { ',', ';', '\t' })
        {
            var header = string.Join(separator, "date", "channel", "spend") + new string(separator, 1_000_000);
            using var wide = await client.PutAsync($"/v1/workspaces/{ws.Id}/performance", TestWorkspace.Csv($"{header}\n2026-01-05{separator}search{separator}1\n"));
            var text = await AssertRefusedAsync(wide, $"a million '{separator}'", 400, "1,000,003 fields", "columns");
            var problem = JsonDocument.Parse(text).RootElement;
            Assert.Equal(100, problem.GetProperty("errors").GetArrayLength());
            Assert.Equal(1_000_000, problem.GetProperty("error_count").GetInt64());
        }
        using var few = await client.PutAsync($"/v1/workspaces/{ws.Id}/performance", TestWorkspace.Csv("date,channel,spend,x1,x2,x3\n2026-01-05,search,1,a,b,c\n"));
        var listed = JsonDocument.Parse(await AssertRefusedAsync(few, "three unknown columns", 400, "x1")).RootElement;
        Assert.Equal(["x1", "x2", "x3"], listed.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("column").GetString()));
        Assert.Equal(before, await HostileHost.FingerprintAsync(ws.Id));
    }
}

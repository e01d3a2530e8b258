using System.Net.Http.Json;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

/// <summary>A weekly row is one of the workspace's weeks, and no day is ever counted both in a daily and in a weekly row.</summary>
[Collection(ApiCollection.Name)]
public sealed class WeeklyGrainTests(ApiFactory factory)
{
    private const string Table = "channel_performance";
    private const string Header = "date,channel,spend,impressions,clicks,conversions,revenue,new_customers\n";

    private static string Url(TestWorkspace ws, string grain) => $"/v1/workspaces/{ws.Id}/performance?grain={grain}";

    private static double WeekSpend(JsonElement kpis, string period, string channel) =>
        kpis.GetProperty("rows").EnumerateArray()
            .Single(r => r.GetProperty("period").GetString() == period && r.GetProperty("channel").GetString() == channel)
            .GetProperty("spend").GetDouble();

    [Fact]
    public async Task AWeeklyRowOffTheWeekStartIsARowErrorNamingTheDayItShouldBeAndIsNotCountedTwice()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        (await client.PutAsync(Url(ws, "week"), TestWorkspace.Csv(Header + "2025-03-03,search,700,0,0,14,1400,7\n"))).EnsureSuccessStatusCode();
        var before = await ws.SnapshotAsync(Table);

        var response = await client.PutAsync(Url(ws, "week"), TestWorkspace.Csv(Header + "2025-03-10,search,650,0,0,13,1300,6\n2025-03-05,search,700,0,0,14,1400,7\n"));
        var error = Assert.Single((await response.ReadProblemAsync(400)).Errors());
        Assert.Equal(3, error.GetProperty("line").GetInt32());
        Assert.Equal("date", error.GetProperty("column").GetString());
        Assert.Equal("2025-03-05 is a Wednesday; weekly rows are dated on the week's first day, Monday 2025-03-03", error.GetProperty("reason").GetString());
        Assert.Equal(before, await ws.SnapshotAsync(Table));

        var kpis = await ws.Reader().GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/kpis?grain=week");
        Assert.Equal(700, WeekSpend(kpis, "2025-03-03", "search"), 9);
    }

    [Fact]
    public async Task AWeeklyRowBesideDailyRowsOfItsWeekIsRefusedNamingThem()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        (await client.PutAsync(Url(ws, "day"), TestWorkspace.Csv(Header +
            "2025-03-03,search,100,0,0,2,200,1\n2025-03-04,search,100,0,0,2,200,1\n2025-03-05,search,100,0,0,2,200,1\n"))).EnsureSuccessStatusCode();
        var before = await ws.SnapshotAsync(Table);

        // social has no daily rows that week and search none the next: only the row that overlaps is wrong, and nothing is stored.
        var response = await client.PutAsync(Url(ws, "week"), TestWorkspace.Csv(Header +
            "2025-03-03,social,500,0,0,9,900,4\n2025-03-03,search,700,0,0,14,1400,7\n2025-03-10,search,700,0,0,14,1400,7\n"));
        var error = Assert.Single((await response.ReadProblemAsync(400)).Errors());
        Assert.Equal(3, error.GetProperty("line").GetInt32());
        Assert.Equal("date", error.GetProperty("column").GetString());
        var reason = error.GetProperty("reason").GetString()!;
        Assert.Contains("'search' already has daily rows in this week (3 days, 2025-03-03 to 2025-03-05)", reason);
        Assert.Equal(before, await ws.SnapshotAsync(Table));

        // Without the clashing row the rest loads, and each week counts each day once.
        (await client.PutAsync(Url(ws, "week"), TestWorkspace.Csv(Header +
            "2025-03-03,social,500,0,0,9,900,4\n2025-03-10,search,700,0,0,14,1400,7\n"))).EnsureSuccessStatusCode();
        var kpis = await ws.Reader().GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/kpis?grain=week");
        Assert.Equal(300, WeekSpend(kpis, "2025-03-03", "search"), 9);
        Assert.Equal(500, WeekSpend(kpis, "2025-03-03", "social"), 9);
        Assert.Equal(700, WeekSpend(kpis, "2025-03-10", "search"), 9);
    }

    [Fact]
    public async Task ADailyRowInsideAStoredWeeklyRowsWeekIsRefusedNamingIt()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        (await client.PutAsync(Url(ws, "week"), TestWorkspace.Csv(Header + "2025-03-10,social,700,0,0,14,1400,7\n"))).EnsureSuccessStatusCode();
        var before = await ws.SnapshotAsync(Table);

        // Both the week's first day (which would replace the weekly row) and a later day of it clash; the day before the week does not.
        var response = await client.PutAsJsonAsync(Url(ws, "day"), new[]
        {
            new { date = "2025-03-09", channel = "social", spend = 90 },
            new { date = "2025-03-10", channel = "social", spend = 100 },
            new { date = "2025-03-16", channel = "social", spend = 100 },
        }, ApiFactory.Json);
        var errors = (await response.ReadProblemAsync(400)).Errors().ToList();
        Assert.Equal([2, 3], errors.Select(e => e.GetProperty("row").GetInt32()));
        Assert.All(errors, e => Assert.Contains("'social' already has a weekly row dated 2025-03-10 that covers this day", e.GetProperty("reason").GetString()));
        Assert.Equal(before, await ws.SnapshotAsync(Table));
    }

    [Fact]
    public async Task WeeksStartOnTheWorkspacesWeekStartInUploadsAndKpis()
    {
        var ws = await factory.CreateWorkspaceAsync(weekStart: "sunday");
        using var client = ws.Ingest();
        var monday = await client.PutAsync(Url(ws, "week"), TestWorkspace.Csv(Header + "2025-03-03,search,700,0,0,14,1400,7\n"));
        Assert.Equal("2025-03-03 is a Monday; weekly rows are dated on the week's first day, Sunday 2025-03-02",
            Assert.Single((await monday.ReadProblemAsync(400)).Errors()).GetProperty("reason").GetString());

        (await client.PutAsync(Url(ws, "week"), TestWorkspace.Csv(Header + "2025-03-02,search,700,0,0,14,1400,7\n"))).EnsureSuccessStatusCode();
        // Sunday 2 March to Saturday 8 March is one week, Sunday 9 March starts the next.
        (await client.PutAsync(Url(ws, "day"), TestWorkspace.Csv(Header +
            "2025-03-02,social,100,0,0,2,200,1\n2025-03-08,social,50,0,0,1,100,1\n2025-03-09,social,30,0,0,1,60,1\n"))).EnsureSuccessStatusCode();
        var kpis = await ws.Reader().GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/kpis?grain=week");
        Assert.Equal(["2025-03-02", "2025-03-09"], kpis.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("period").GetString()).Distinct());
        Assert.Equal(700, WeekSpend(kpis, "2025-03-02", "search"), 9);
        Assert.Equal(150, WeekSpend(kpis, "2025-03-02", "social"), 9);
        Assert.Equal(850, WeekSpend(kpis, "2025-03-02", "all"), 9);
        Assert.Equal(30, WeekSpend(kpis, "2025-03-09", "social"), 9);

        // A daily row on the Saturday the weekly row covers clashes; the Saturday before its week is outside it.
        var saturday = await client.PutAsync(Url(ws, "day"), TestWorkspace.Csv(Header + "2025-03-08,search,10,0,0,0,0,0\n2025-03-01,search,10,0,0,0,0,0\n"));
        var clash = Assert.Single((await saturday.ReadProblemAsync(400)).Errors());
        Assert.Equal(2, clash.GetProperty("line").GetInt32());
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Worlds;
using static SpendOptimizer.Api.Tests.Infrastructure.RecommendationJson;

namespace SpendOptimizer.Api.Tests;

/// <summary>A plan is for a real week of the workspace's calendar, says when its data is old, and names the currency of its money.</summary>
[Collection(ApiCollection.Name)]
public sealed class PlannedWeekTests(ApiFactory factory)
{
    /// <summary>The first Monday on or after today in <paramref name="zone"/>, found by walking the calendar.</summary>
    private static DateOnly ComingMonday(TimeZoneInfo zone)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);
        while (day.DayOfWeek != DayOfWeek.Monday) day = day.AddDays(1);
        return day;
    }

    [Fact]
    public async Task TheDefaultWeekIsTheComingOneInTheWorkspacesZoneAndOldDataIsNamedInTheAnswerAndReport()
    {
        // Kiritimati is 14 hours ahead of UTC: for 14 hours of each Sunday (UTC) its Monday has already begun.
        const string zoneName = "Pacific/Kiritimati";
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneName);
        var world = SyntheticWorld.Generate(seed: 21);
        var lastDay = world.Performance.Max(p => p.Date).AddDays(6); // weekly rows: the last one covers six more days
        var ws = await factory.CreateWorkspaceAsync(currency: "EUR", timeZone: zoneName);
        await WorldLoader.LoadAsync(ws, world);
        using var client = ws.Ingest();

        var earliest = ComingMonday(zone);
        var rec = await PlanAsync(client, ws.Id, new { });
        var week = DateOnly.Parse(rec.GetProperty("week").GetString()!);
        Assert.Contains(week, new[] { earliest, ComingMonday(zone) }); // the zone's day may turn during the request
        Assert.Equal("EUR", rec.GetProperty("currency").GetString());
        var days = week.DayNumber - lastDay.DayNumber;
        var stale = $"the latest loaded data is {days} days older than the planned week {week:yyyy-MM-dd} (last day {lastDay:yyyy-MM-dd})";
        Assert.Contains(rec.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith(stale));

        var id = rec.GetProperty("id").GetString();
        var stored = await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/recommendations/{id}");
        Assert.Equal("EUR", stored.GetProperty("currency").GetString());
        var report = await client.GetStringAsync($"/v1/workspaces/{ws.Id}/recommendations/{id}/report");
        Assert.Contains(System.Net.WebUtility.HtmlEncode(stale), report);
        Assert.Contains("(CLV, EUR per week) over keeping today's spend", report);
        Assert.Contains("<th>Today (EUR / week)</th>", report);
        Assert.DoesNotContain("in clv", report);
    }

    [Fact]
    public async Task AnAskedWeekMustStartOnTheWeekStartAndDataEndingTheDayBeforeIsNotOld()
    {
        var world = SyntheticWorld.Generate(seed: 22);
        var lastDay = world.Performance.Max(p => p.Date).AddDays(6);
        Assert.Equal(DayOfWeek.Sunday, lastDay.DayOfWeek);
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, world);
        using var client = ws.Ingest();

        var wednesday = lastDay.AddDays(3);
        var problem = await (await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/recommendations", new { week = wednesday })).ReadProblemAsync(400);
        Assert.Equal($"{wednesday:yyyy-MM-dd} is a Wednesday; the workspace's weeks start on Monday, so this week is {lastDay.AddDays(1):yyyy-MM-dd}",
            problem.GetProperty("errors").GetProperty("week")[0].GetString());

        var next = await PlanAsync(client, ws.Id, new { week = lastDay.AddDays(1) });
        Assert.Equal("USD", next.GetProperty("currency").GetString());
        Assert.DoesNotContain(next.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("latest loaded data"));

        // One week of data missing before the planned week is more than a week old: 8 days.
        var later = await PlanAsync(client, ws.Id, new { week = lastDay.AddDays(8) });
        Assert.Contains(later.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith(
            $"the latest loaded data is 8 days older than the planned week {lastDay.AddDays(8):yyyy-MM-dd} (last day {lastDay:yyyy-MM-dd})"));
    }
}

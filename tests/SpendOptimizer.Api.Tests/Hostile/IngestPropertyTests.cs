using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests.Hostile;

/// <summary>
/// Generated uploads of performance rows, as CSV or JSON, each into a fresh workspace: never a 5xx; a refusal stores
/// nothing; an acceptance stores exactly the rows sent, read back through the API.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class IngestPropertyTests
{
    public sealed record Row(DateOnly Date, string Channel, double Spend, long Clicks, double Conversions);

    private static readonly string[] Channels = ["search", "paid social", "tv,radio", "say \"hi\"", "line\nbreak", " padded ", "a > b", "ünïcødé", "😀", "", "x", new('c', 101)];

    private static readonly Gen<string> Channel = Gen.Frequency(
        (6, Gen.Elements(Channels)),
        (2, ArbMap.Default.GeneratorFor<string>().Where(s => s is not null)),
        (1, ArbMap.Default.GeneratorFor<char>().ArrayOf().Select(c => new string(c))));

    private static readonly Gen<double> Number = Gen.Frequency(
        (8, Gen.Choose(0, 1_000_000).Select(i => i / 100.0)),
        (1, Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity, -1.5, -0.0, 1e300, double.Epsilon)),
        (1, ArbMap.Default.GeneratorFor<double>()));

    private static readonly Gen<DateOnly> Day = Gen.Frequency(
        (9, Gen.Choose(-2000, 2000).Select(d => new DateOnly(2026, 1, 1).AddDays(d))),
        (1, Gen.Elements(new DateOnly(1899, 12, 31), new DateOnly(2200, 1, 1), DateOnly.MinValue, DateOnly.MaxValue)));

    private static readonly Gen<Row> Rows = Day.SelectMany(d => Channel.SelectMany(c => Number.SelectMany(s =>
        Gen.Choose(-5, 10_000).SelectMany(k => Number.Select(v => new Row(d, c, s, k, v))))));

    private static readonly Gen<(Row[] Rows, bool Json)> Uploads =
        Gen.Choose(1, 6).SelectMany(n => Rows.ArrayOf(n)).SelectMany(r => Gen.Elements(true, false).Select(j => (r, j)));

    [Fact]
    public void GeneratedPerformanceUploadsAreStoredExactlyOrRefusedWithoutTrace()
    {
        using var host = HostileHost.Create();
        var tried = 0;
        Prop.ForAll(Arb.From(Uploads), upload =>
        {
            tried++;
            return Task.Run(() => HoldsAsync(host, upload.Rows, upload.Json)).GetAwaiter().GetResult();
        }).QuickCheckThrowOnFailure();
        Assert.True(tried >= 100, $"only {tried} uploads tried");
    }

    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 || s != s.Trim() ? $"\"{s.Replace("\"", "\"\"")}\"" : s;

    private static HttpContent Body(Row[] rows, bool json)
    {
        if (json)
        {
            // JSON cannot carry NaN or infinities as numbers: they go as strings, the way a careless exporter writes them.
            object Value(double v) => double.IsFinite(v) ? v : N(v);
            var items = rows.Select(r => new Dictionary<string, object>
            {
                ["date"] = r.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["channel"] = r.Channel, ["spend"] = Value(r.Spend),
                ["clicks"] = r.Clicks, ["conversions"] = Value(r.Conversions),
            });
            return new StringContent(JsonSerializer.Serialize(items), Encoding.UTF8, "application/json");
        }
        var csv = new StringBuilder("date,channel,spend,clicks,conversions\n");
        foreach (var r in rows)
            csv.Append(r.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',').Append(Quote(r.Channel)).Append(',')
                .Append(N(r.Spend)).Append(',').Append(r.Clicks).Append(',').Append(N(r.Conversions)).Append('\n');
        return TestWorkspace.Csv(csv.ToString());
    }

    private static async Task<bool> HoldsAsync(ApiFactory host, Row[] rows, bool json)
    {
        var ws = await host.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        using var response = await client.PutAsync($"/v1/workspaces/{ws.Id}/performance", Body(rows, json));
        var status = (int)response.StatusCode;
        var stored = (await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/performance?limit=100")).GetProperty("items").EnumerateArray().ToList();
        if (status >= 500) return false;
        if (status >= 400) return stored.Count == 0;
        // Accepted: the stored rows are the rows sent, one per (date, channel); spaces around a value are not part of it.
        var sent = rows.Select(r => r with { Channel = r.Channel.Trim() }).GroupBy(r => (r.Date, r.Channel)).Select(g => g.Last()).ToList();
        if (stored.Count != sent.Count) return false;
        return sent.All(r => stored.Any(s =>
            s.GetProperty("date").GetString() == r.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            && s.GetProperty("channel").GetString() == r.Channel
            && s.GetProperty("spend").GetDouble() == r.Spend
            && s.GetProperty("clicks").GetInt64() == r.Clicks
            && s.GetProperty("conversions").GetDouble() == r.Conversions));
    }
}

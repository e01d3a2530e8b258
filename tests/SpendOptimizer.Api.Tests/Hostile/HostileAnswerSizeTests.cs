using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Worlds;
using static SpendOptimizer.Api.Tests.Hostile.HostileAnswers;

namespace SpendOptimizer.Api.Tests.Hostile;

/// <summary>
/// However much is wrong and however long the wrong values are, a refusal lists at most 100 errors with the total
/// count, and repeats no more than a short excerpt of any value.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HostileAnswerSizeTests(ApiFactory factory)
{
    private const int MaxListed = 100;

    /// <summary>The longest excerpt of a sent value an answer may carry: 100 characters and an ellipsis.</summary>
    private const int MaxExcerpt = 101;

    private static void AssertSmall(string text, string what, int maxBytes = 64 * 1024) =>
        Assert.True(Encoding.UTF8.GetByteCount(text) <= maxBytes, $"{what}: the answer is {Encoding.UTF8.GetByteCount(text):N0} bytes: {Short(text)}");

    /// <summary>No string anywhere in the answer is a long run of the filler character.</summary>
    private static void AssertNoLongEcho(JsonElement e, char filler)
    {
        var run = new string(filler, MaxExcerpt);
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    Assert.DoesNotContain(run, p.Name);
                    AssertNoLongEcho(p.Value, filler);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray()) AssertNoLongEcho(item, filler);
                break;
            case JsonValueKind.String:
                Assert.DoesNotContain(run, e.GetString()!);
                break;
        }
    }

    [Fact]
    public async Task ACsvHeaderOfAMillionCommasListsAHundredErrorsWithTheirCount()
    {
        await using var host = HostileHost.Create();
        var ws = await host.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var before = await HostileHost.FingerprintAsync(ws.Id);
        var csv = "date,channel,spend,conversions" + new string(',', 1_000_000) + "\n2026-01-05,search,1,1\n";
        using var response = await client.PutAsync($"/v1/workspaces/{ws.Id}/performance", TestWorkspace.Csv(csv));
        var text = await AssertRefusedAsync(response, "a million empty header columns", 400, "header");
        AssertSmall(text, "a million empty header columns");
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(MaxListed, problem.GetProperty("errors").GetArrayLength());
        Assert.True(problem.GetProperty("error_count").GetInt64() >= 1_000_000, text[..200]);
        Assert.Equal(before, await HostileHost.FingerprintAsync(ws.Id));
    }

    [Fact]
    public async Task AThreeMegabyteValueIsEchoedOnlyAsAShortExcerpt()
    {
        await using var host = HostileHost.Create();
        var ws = await host.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var before = await HostileHost.FingerprintAsync(ws.Id);
        var huge = new string('x', 3 * 1024 * 1024);
        // A CSV record may be up to 1 MB long; longer ones are refused as too long before any field is read.
        var longValue = new string('x', 900 * 1024);

        // A bad value in an upload row, as JSON and as CSV.
        var json = $$"""[{"date":"2026-01-05","channel":"search","spend":"{{huge}}","conversions":1}]""";
        using var inJson = await client.PutAsync($"/v1/workspaces/{ws.Id}/performance", new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await AssertRefusedAsync(inJson, "3 MB spend in JSON", 400, "spend");
        AssertSmall(text, "3 MB spend in JSON", 4096);
        var error = JsonDocument.Parse(text).RootElement.GetProperty("errors")[0];
        var value = error.GetProperty("value").GetString()!;
        Assert.True(value.Length <= MaxExcerpt && value.EndsWith('…'), value);

        using var inCsv = await client.PutAsync($"/v1/workspaces/{ws.Id}/performance", TestWorkspace.Csv($"date,channel,spend,conversions\n2026-01-05,{longValue},1,1\n"));
        text = await AssertRefusedAsync(inCsv, "900 KB channel in CSV", 400, "channel");
        AssertSmall(text, "900 KB channel in CSV", 4096);
        AssertNoLongEcho(JsonDocument.Parse(text).RootElement, 'x');

        // A 3 MB header name.
        using var header = await client.PutAsync($"/v1/workspaces/{ws.Id}/performance", TestWorkspace.Csv($"date,channel,spend,conversions,{longValue}\n"));
        text = await AssertRefusedAsync(header, "900 KB column name", 400, "unknown column");
        AssertSmall(text, "900 KB column name", 4096);
        AssertNoLongEcho(JsonDocument.Parse(text).RootElement, 'x');

        // A 3 MB property name and a 3 MB value in a command body.
        using var name = await client.PostAsync($"/v1/workspaces/{ws.Id}/recommendations",
            new StringContent($$"""{"{{huge}}":1}""", Encoding.UTF8, "application/json"));
        text = await AssertRefusedAsync(name, "3 MB property name", 400);
        AssertSmall(text, "3 MB property name", 4096);
        AssertNoLongEcho(JsonDocument.Parse(text).RootElement, 'x');

        using var locks = await client.PostAsync($"/v1/workspaces/{ws.Id}/recommendations",
            new StringContent("{\"locks\":[\"" + huge + "\"],\"current\":{\"" + huge + "y\":1}}", Encoding.UTF8, "application/json"));
        Assert.InRange((int)locks.StatusCode, 400, 499);
        text = await locks.Content.ReadAsStringAsync();
        AssertSmall(text, "3 MB lock", 8192);
        AssertNoLongEcho(JsonDocument.Parse(text).RootElement, 'x');
        Assert.Equal(before, await HostileHost.FingerprintAsync(ws.Id));
    }

    [Fact]
    public async Task TenThousandUnknownLocksListAHundredErrorsWithTheirCount()
    {
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, SyntheticWorld.Generate(seed: 21));
        using var client = ws.Ingest();
        var fit = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/response-curves/fit", new { });
        Assert.True(fit.IsSuccessStatusCode, await fit.Content.ReadAsStringAsync());
        var before = await HostileHost.FingerprintAsync(ws.Id);

        var locks = Enumerable.Range(0, 10_000).Select(i => $"nochannel{i:D5}").ToArray();
        using var response = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/recommendations", new { locks });
        var text = await AssertRefusedAsync(response, "10,000 unknown locks", 400, "no fitted curve");
        AssertSmall(text, "10,000 unknown locks");
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(MaxListed, problem.GetProperty("errors").EnumerateObject().Count());
        Assert.True(problem.GetProperty("error_count").GetInt64() >= 10_000, Short(text));
        Assert.Equal(before, await HostileHost.FingerprintAsync(ws.Id));
    }
}

/// <summary>What the CSV reader cannot read is said in the service's words, naming the line and column, never in the library's.</summary>
[Collection(ApiCollection.Name)]
public sealed class HostileCsvTextTests
{
    /// <summary>Words of the CSV library's own messages: its settings and its way of counting records.</summary>
    private static readonly string[] LibraryWords = ["MaxBufferSize", "Row ", "setting", "Sylvan", "ordinal"];

    [Fact]
    public async Task CsvTheReaderCannotReadIsRefusedNamingLineAndColumnInTheServicesWords()
    {
        await using var host = HostileHost.Create();
        var ws = await host.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var before = await HostileHost.FingerprintAsync(ws.Id);
        const string header = "date,channel,spend,conversions\n";
        (string Name, string Csv, string[] Mentions)[] cases =
        [
            ("a record over 1 MB", header + "2026-01-05,search,1,1\n2026-01-06," + new string('y', 1100 * 1024) + ",1,1\n", ["line 3", "longer than"]),
            ("text after a closing quote", header + "2026-01-05,\"search\"x,1,1\n", ["line 2", "column channel", "quote"]),
            ("a header over 1 MB", header.TrimEnd('\n') + "," + new string('y', 1100 * 1024) + "\n", ["line 1", "longer than"]),
        ];
        foreach (var (name, csv, mentions) in cases)
        {
            using var response = await client.PutAsync($"/v1/workspaces/{ws.Id}/performance", TestWorkspace.Csv(csv));
            var text = await AssertRefusedAsync(response, name, 400, ["Malformed CSV", .. mentions]);
            Assert.True(text.Length < 4096, $"{name}: {Short(text)}");
            foreach (var word in LibraryWords)
                Assert.False(text.Contains(word, StringComparison.Ordinal), $"{name}: the answer carries the library's '{word}': {text}");
            var error = JsonDocument.Parse(text).RootElement.GetProperty("errors")[0];
            Assert.Equal(JsonValueKind.Number, error.GetProperty("line").ValueKind);
        }
        Assert.Equal(before, await HostileHost.FingerprintAsync(ws.Id));
    }
}

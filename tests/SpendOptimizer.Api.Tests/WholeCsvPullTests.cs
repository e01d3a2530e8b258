using System.Net.Http.Json;
using NpgsqlTypes;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

/// <summary>
/// Spreadsheet tools cannot follow X-Next-Cursor, so a CSV asked for without ?limit= holds every row of its window,
/// across the store's pages; with ?limit= it is one page and the cursor to the next.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WholeCsvPullTests(ApiFactory factory)
{
    private const int Channels = 250, Days = 1000;
    private static readonly DateOnly First = new(2023, 1, 2);

    /// <summary>250,000 rows copied straight into the table: an upload of them would take minutes and is tested elsewhere.</summary>
    private static async Task LoadAsync(string ws)
    {
        await using var db = await ApiFactory.OpenDbAsync();
        await using var copy = await db.BeginBinaryImportAsync(
            "copy channel_performance (workspace_id, date, channel, grain, spend, impressions, clicks, conversions, revenue, new_customers) from stdin (format binary)");
        for (var d = 0; d < Days; d++)
            for (var c = 0; c < Channels; c++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(ws, NpgsqlDbType.Text);
                await copy.WriteAsync(First.AddDays(d), NpgsqlDbType.Date);
                await copy.WriteAsync($"ch_{c:000}", NpgsqlDbType.Text);
                await copy.WriteAsync("day", NpgsqlDbType.Text);
                await copy.WriteAsync(100.0 + c, NpgsqlDbType.Double);
                await copy.WriteAsync((long)d, NpgsqlDbType.Bigint);
                await copy.WriteAsync((long)c, NpgsqlDbType.Bigint);
                await copy.WriteAsync(1.0, NpgsqlDbType.Double);
                await copy.WriteAsync(2.0, NpgsqlDbType.Double);
                await copy.WriteAsync(0.5, NpgsqlDbType.Double);
            }
        await copy.CompleteAsync();
    }

    /// <summary>The data rows' (date, channel) keys, read from the body as it streams; checks each follows the one before.</summary>
    private static async Task<(int Rows, string FirstKey, string LastKey, string? NextCursor)> PullAsync(HttpClient client, string target)
    {
        using var response = await client.GetAsync(target, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith("date,channel,", await reader.ReadLineAsync());
        var rows = 0;
        string? first = null, last = null;
        while (await reader.ReadLineAsync() is { Length: > 0 } line)
        {
            var key = string.Join(',', line.Split(',')[..2]);
            Assert.True(last is null || string.CompareOrdinal(key, last) > 0, $"row {rows + 1} ({key}) does not follow {last}");
            first ??= key;
            last = key;
            rows++;
        }
        var cursor = response.Headers.TryGetValues("X-Next-Cursor", out var values) ? values.Single() : null;
        return (rows, first!, last!, cursor);
    }

    [Fact]
    public async Task ACsvWithoutLimitHoldsEveryRowAndWithALimitOnePageAndItsCursor()
    {
        var ws = await factory.CreateWorkspaceAsync();
        await LoadAsync(ws.Id);
        using var client = ws.Reader();
        var url = $"/v1/workspaces/{ws.Id}/performance";

        var all = await PullAsync(client, url + "?format=csv");
        Assert.Equal(Channels * Days, all.Rows);
        Assert.Equal("2023-01-02,ch_000", all.FirstKey);
        Assert.Equal($"{First.AddDays(Days - 1):yyyy-MM-dd},ch_249", all.LastKey);
        Assert.Null(all.NextCursor);

        // A window of 100 days spans several of the store's pages; Accept: text/csv reads the same as ?format=csv.
        using var accept = ws.Reader();
        accept.DefaultRequestHeaders.Accept.ParseAdd("text/csv");
        var window = await PullAsync(accept, url + "?from=2023-02-01&to=2023-05-11");
        Assert.Equal(100 * Channels, window.Rows);
        Assert.Equal("2023-02-01,ch_000", window.FirstKey);
        Assert.Equal("2023-05-11,ch_249", window.LastKey);

        var page = await PullAsync(client, url + "?format=csv&limit=1000");
        Assert.Equal(1000, page.Rows);
        Assert.Equal("2023-01-05,ch_249", page.LastKey);
        Assert.NotNull(page.NextCursor);
        var next = await PullAsync(client, url + $"?format=csv&limit=1000&cursor={page.NextCursor}");
        Assert.Equal("2023-01-06,ch_000", next.FirstKey);

        // JSON still comes a page at a time.
        var json = await client.GetFromJsonAsync<System.Text.Json.JsonElement>(url);
        Assert.Equal(1000, json.GetProperty("items").GetArrayLength());
        Assert.Equal(System.Text.Json.JsonValueKind.String, json.GetProperty("next_cursor").ValueKind);
    }
}

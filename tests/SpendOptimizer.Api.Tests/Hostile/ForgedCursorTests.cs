using System.Text.Json;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests.Hostile;

/// <summary>
/// A cursor's check is not a secret: anyone can build one that passes it around any key. So every list is sent cursors
/// with a valid check and hostile parts (the wrong number of them, out-of-range numbers and dates, control characters,
/// long text): each answers a page or a 400 problem naming the cursor, never a 5xx and never the database's words.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ForgedCursorTests(GeneratedHostileHost host) : IClassFixture<GeneratedHostileHost>
{
    private static readonly string[] Parts =
    [
        "", "x", "-1", "0", "99999999999999999999", long.MaxValue.ToString(), long.MinValue.ToString(), "1e308", "NaN",
        "0001-01-01", "9999-12-31", "-infinity", "2025-01-01T00:00:00+14:01", Guid.Empty.ToString(), "\u0001\u007f", "'; drop table x; --",
        new string('a', 600), "é😀",
    ];

    [Fact]
    public async Task ListsAnswerForgedCursorsWithAPageOrAProblemNamingTheCursor()
    {
        var ws = host.Workspace;
        using var client = ws.Admin();
        var doc = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        var lists = (from path in doc.GetProperty("paths").EnumerateObject()
                     from method in path.Value.EnumerateObject()
                     where method.Name == "get" && method.Value.TryGetProperty("parameters", out var ps)
                           && ps.EnumerateArray().Any(p => p.GetProperty("name").GetString() == "cursor")
                     select path.Name.Replace("{ws}", ws.Id)).ToList();
        Assert.True(lists.Count >= 8, string.Join(", ", lists));

        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        foreach (var list in lists)
            for (var count = 1; count <= 3; count++)
                foreach (var part in Parts)
                {
                    var cursor = ListQuery.EncodeCursor([.. Enumerable.Repeat(part, count - 1).Prepend(part)]);
                    using var response = await client.GetAsync($"{list}?cursor={cursor}");
                    var text = await response.Content.ReadAsStringAsync();
                    var status = (int)response.StatusCode;
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                    var what = $"{list} with {count} × '{part[..Math.Min(part.Length, 20)]}'";
                    if (status >= 500) failures.Add($"{what}: {status} {text[..Math.Min(text.Length, 200)]}");
                    else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json") failures.Add($"{what}: {status} not problem details");
                    else if (status >= 400 && !text.Contains("cursor", StringComparison.Ordinal)) failures.Add($"{what}: {status} does not name the cursor: {text}");
                    else if (HostileVerdict.LeakIn(text) is { } leak) failures.Add($"{what}: leaks '{leak}'");
                }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // Some forged cursors parse as keys and page on: the check above then judged real pages, not only refusals.
        Assert.True(statuses.GetValueOrDefault(200) > 0 && statuses.GetValueOrDefault(400) > 0, string.Join(", ", statuses));
    }
}

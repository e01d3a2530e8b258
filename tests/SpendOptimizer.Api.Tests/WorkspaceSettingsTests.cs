using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

/// <summary>A workspace's currency, time zone and week start: set at creation, checked, and shown wherever the workspace is.</summary>
[Collection(ApiCollection.Name)]
public sealed class WorkspaceSettingsTests(ApiFactory factory)
{
    private static string NewId() => "t-" + Guid.NewGuid().ToString("N")[..16];

    [Fact]
    public async Task SettingsAreReturnedAtCreationAndByGetWithStatedDefaults()
    {
        using var op = factory.ClientWithKey(factory.OperatorKey);
        var plain = NewId();
        var created = await op.PostAsJsonAsync("/v1/workspaces", new { id = plain, name = "Plain" }, ApiFactory.Json);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)created.StatusCode == 201, body.ToString());
        Assert.Equal("USD", body.GetProperty("currency").GetString());
        Assert.Equal("UTC", body.GetProperty("time_zone").GetString());
        Assert.Equal("monday", body.GetProperty("week_start").GetString());

        var euro = NewId();
        created = await op.PostAsJsonAsync("/v1/workspaces",
            new { id = euro, name = "Euro", currency = "eur", time_zone = "Europe/Berlin", week_start = "sunday" }, ApiFactory.Json);
        body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)created.StatusCode == 201, body.ToString());
        Assert.Equal("EUR", body.GetProperty("currency").GetString());
        Assert.Equal("sunday", body.GetProperty("week_start").GetString());

        using var reader = factory.ClientWithKey(body.GetProperty("admin_key").GetProperty("key").GetString());
        var shown = await reader.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{euro}");
        Assert.Equal(euro, shown.GetProperty("id").GetString());
        Assert.Equal("Euro", shown.GetProperty("name").GetString());
        Assert.Equal("EUR", shown.GetProperty("currency").GetString());
        Assert.Equal("Europe/Berlin", shown.GetProperty("time_zone").GetString());
        Assert.Equal("sunday", shown.GetProperty("week_start").GetString());
        // Another workspace's key sees none of it.
        await (await reader.GetAsync($"/v1/workspaces/{plain}")).ReadProblemAsync(404);
    }

    [Theory]
    [InlineData("currency", "EURO")]
    [InlineData("currency", "XYZ")]
    [InlineData("currency", "")]
    [InlineData("time_zone", "Mars/Olympus_Mons")]
    [InlineData("week_start", "someday")]
    [InlineData("week_start", "1")]
    public async Task BadSettingAnswers400NamingTheFieldAndCreatesNothing(string field, string value)
    {
        using var op = factory.ClientWithKey(factory.OperatorKey);
        var id = NewId();
        var request = new Dictionary<string, object> { ["id"] = id, ["name"] = "Bad", [field] = value };
        var problem = await (await op.PostAsJsonAsync("/v1/workspaces", request, ApiFactory.Json)).ReadProblemAsync(400);
        var named = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.True(named.Any(n => n.Contains(field)), $"{field}: {problem}");

        await using var db = await ApiFactory.OpenDbAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from workspaces where id = @id", db);
        cmd.Parameters.AddWithValue("id", id);
        Assert.Equal(0L, await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task AWorkspaceStoredWithoutTheNewColumnsReadsAsDollarsAndMondayWeeks()
    {
        // As every workspace made before the columns existed: only id, name and time zone written.
        var ws = await factory.CreateWorkspaceAsync();
        var old = NewId();
        await using (var db = await ApiFactory.OpenDbAsync())
        await using (var cmd = new NpgsqlCommand("insert into workspaces (id, name, time_zone) values (@id, 'Old', 'UTC')", db))
        {
            cmd.Parameters.AddWithValue("id", old);
            await cmd.ExecuteNonQueryAsync();
        }
        using var op = factory.ClientWithKey(factory.OperatorKey);
        var shown = await op.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{old}");
        Assert.Equal("USD", shown.GetProperty("currency").GetString());
        Assert.Equal("monday", shown.GetProperty("week_start").GetString());
        Assert.Equal("monday", (await ws.Reader().GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}")).GetProperty("week_start").GetString());
    }
}

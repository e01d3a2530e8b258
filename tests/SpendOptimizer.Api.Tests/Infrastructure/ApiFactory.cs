using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using SpendOptimizer.Api.Hosting;
using SpendOptimizer.Api.Json;

namespace SpendOptimizer.Api.Tests.Infrastructure;

/// <summary>
/// The real API over the real PostgreSQL named by ConnectionStrings__SpendOptimizer (scripts/test.sh starts one).
/// Migrations run once when the host starts; every test makes its own workspace, so tests never see each other's rows.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    /// <summary>Extra host settings for a test that needs its own host (the shared fixture has none).</summary>
    public Action<IWebHostBuilder>? Configure { get; init; }

    public const long TestBodyLimit = 1024 * 1024;

    public string OperatorKey { get; } = "op-" + Guid.NewGuid().ToString("N");

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("ConnectionStrings__SpendOptimizer")
        ?? throw new InvalidOperationException("Run the tests with scripts/test.sh, or set ConnectionStrings__SpendOptimizer.");

    public static readonly JsonSerializerOptions Json = CreateJson();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:SpendOptimizer", ConnectionString);
        builder.UseSetting("SpendOptimizer:AdminKey", OperatorKey);
        builder.UseSetting("SpendOptimizer:MaxBodyBytes", TestBodyLimit.ToString());
        // Hosts share one database, so a host that ran jobs would run any test's: only the hosts of JobTests do.
        builder.UseSetting("SpendOptimizer:JobWorkers", "0");
        Configure?.Invoke(builder);
    }

    public HttpClient ClientWithKey(string? key)
    {
        var client = CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>A fresh workspace with one key of each role; settings not given are the service's defaults.</summary>
    public async Task<TestWorkspace> CreateWorkspaceAsync(string? currency = null, string? weekStart = null, string? timeZone = null)
    {
        var id = "t-" + Guid.NewGuid().ToString("N")[..16];
        using var op = ClientWithKey(OperatorKey);
        var request = new Dictionary<string, string> { ["id"] = id, ["name"] = "Test " + id };
        if (currency is not null) request["currency"] = currency;
        if (weekStart is not null) request["week_start"] = weekStart;
        if (timeZone is not null) request["time_zone"] = timeZone;
        var created = await op.PostAsJsonAsync("/v1/workspaces", request, Json);
        created.EnsureSuccessStatusCode();
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Json);
        var admin = body.GetProperty("admin_key").GetProperty("key").GetString()!;
        using var adminClient = ClientWithKey(admin);
        async Task<string> Issue(string role)
        {
            var r = await adminClient.PostAsJsonAsync($"/v1/workspaces/{id}/keys", new { role }, Json);
            r.EnsureSuccessStatusCode();
            return (await r.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("key").GetString()!;
        }
        return new TestWorkspace(this, id, admin, await Issue("ingest"), await Issue("read"));
    }

    public static async Task<NpgsqlConnection> OpenDbAsync()
    {
        var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        return conn;
    }

    private static JsonSerializerOptions CreateJson()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiJson.Configure(o);
        return o;
    }
}

public sealed record TestWorkspace(ApiFactory Factory, string Id, string AdminKey, string IngestKey, string ReadKey)
{
    public HttpClient Admin() => Factory.ClientWithKey(AdminKey);
    public HttpClient Ingest() => Factory.ClientWithKey(IngestKey);
    public HttpClient Reader() => Factory.ClientWithKey(ReadKey);

    public static StringContent Csv(string text) => new(text, System.Text.Encoding.UTF8, "text/csv");

    /// <summary>Every stored row of a table for this workspace, as text, in a stable order: for "nothing changed" checks.</summary>
    public async Task<List<string>> SnapshotAsync(string table)
    {
        await using var conn = await ApiFactory.OpenDbAsync();
        // Table names come from the tests' own constants, never from input.
        await using var cmd = new NpgsqlCommand($"select t::text from {table} t where workspace_id = @ws order by 1", conn);
        cmd.Parameters.AddWithValue("ws", Id);
        var rows = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFactory>
{
    public const string Name = "api";
}

public static class ProblemAssertions
{
    /// <summary>Reads an RFC 9457 answer and checks its status and media type.</summary>
    public static async Task<JsonElement> ReadProblemAsync(this HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    public static IEnumerable<JsonElement> Errors(this JsonElement problem) => problem.GetProperty("errors").EnumerateArray();
}

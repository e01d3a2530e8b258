using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class WorkspaceAndKeyTests(ApiFactory factory)
{
    [Fact]
    public async Task CreatingWorkspaceWithoutOperatorKeyAnswers401AndCreatesNothing()
    {
        var id = "t-" + Guid.NewGuid().ToString("N")[..12];
        using var anonymous = factory.CreateClient();
        var response = await anonymous.PostAsJsonAsync("/v1/workspaces", new { id, name = "x" }, ApiFactory.Json);
        await response.ReadProblemAsync(401);

        var other = await factory.CreateWorkspaceAsync();
        using var workspaceAdmin = other.Admin();
        await (await workspaceAdmin.PostAsJsonAsync("/v1/workspaces", new { id, name = "x" }, ApiFactory.Json)).ReadProblemAsync(401);

        await using var db = await ApiFactory.OpenDbAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from workspaces where id = @id", db);
        cmd.Parameters.AddWithValue("id", id);
        Assert.Equal(0L, await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task CreatingWorkspaceWithBadIdOrTakenIdAnswersProblem()
    {
        using var op = factory.ClientWithKey(factory.OperatorKey);
        var bad = await op.PostAsJsonAsync("/v1/workspaces", new { id = "Not Valid!", name = "x" }, ApiFactory.Json);
        var problem = await bad.ReadProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("id", out _));

        var ws = await factory.CreateWorkspaceAsync();
        var taken = await op.PostAsJsonAsync("/v1/workspaces", new { id = ws.Id, name = "again" }, ApiFactory.Json);
        await taken.ReadProblemAsync(409);
    }

    [Fact]
    public async Task KeysAreStoredOnlyAsSha256Hashes()
    {
        var ws = await factory.CreateWorkspaceAsync();
        await using var db = await ApiFactory.OpenDbAsync();
        await using var cmd = new NpgsqlCommand("select key_hash, k::text from api_keys k where workspace_id = @ws", db);
        cmd.Parameters.AddWithValue("ws", ws.Id);
        var hashes = new List<byte[]>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            hashes.Add((byte[])reader[0]);
            var rowText = reader.GetString(1);
            foreach (var key in new[] { ws.AdminKey, ws.IngestKey, ws.ReadKey })
                Assert.DoesNotContain(key, rowText);
        }
        Assert.Equal(3, hashes.Count);
        foreach (var key in new[] { ws.AdminKey, ws.IngestKey, ws.ReadKey })
            Assert.Contains(hashes, h => h.SequenceEqual(SHA256.HashData(Encoding.UTF8.GetBytes(key))));
    }

    [Fact]
    public async Task IngestKeyCannotIssueKeysAndUnknownRoleIsRejected()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var ingest = ws.Ingest();
        await (await ingest.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/keys", new { role = "admin" }, ApiFactory.Json)).ReadProblemAsync(403);
        using var admin = ws.Admin();
        var bad = await admin.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/keys", new { role = "owner" }, ApiFactory.Json);
        Assert.Equal(400, (int)bad.StatusCode);
    }

    [Fact]
    public async Task NonReadKeysAreRefusedInTheQueryString()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = factory.CreateClient();
        await (await client.GetAsync($"/v1/workspaces/{ws.Id}/performance?api_key={ws.IngestKey}")).ReadProblemAsync(401);
        var ok = await client.GetAsync($"/v1/workspaces/{ws.Id}/performance?api_key={ws.ReadKey}");
        Assert.True(ok.IsSuccessStatusCode);
        var body = await ok.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, body.GetProperty("items").GetArrayLength());
    }
}

[Collection(ApiCollection.Name)]
public sealed class RateLimitTests(ApiFactory factory)
{
    [Fact]
    public async Task AKeyOverItsLimitGets429WithRetryAfterWhileAnotherKeyIsServed()
    {
        var ws = await factory.CreateWorkspaceAsync();
        await using var limited = factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("SpendOptimizer:RateLimitPerSecond", "1");
            b.UseSetting("SpendOptimizer:RateLimitBurst", "3");
        });
        using var noisy = limited.CreateClient();
        noisy.DefaultRequestHeaders.Add("X-Api-Key", ws.ReadKey);
        var statuses = new List<int>();
        for (var i = 0; i < 6; i++) statuses.Add((int)(await noisy.GetAsync($"/v1/workspaces/{ws.Id}/performance")).StatusCode);
        // Burst of 3, then one per second: a slow machine may earn one extra token during the loop.
        Assert.InRange(statuses.Count(s => s == 200), 3, 4);
        Assert.Equal(6, statuses.Count(s => s is 200 or 429));

        var rejected = await noisy.GetAsync($"/v1/workspaces/{ws.Id}/performance");
        await rejected.ReadProblemAsync(429);
        Assert.True(rejected.Headers.RetryAfter is not null);

        using var other = limited.CreateClient();
        other.DefaultRequestHeaders.Add("X-Api-Key", ws.IngestKey);
        Assert.Equal(200, (int)(await other.GetAsync($"/v1/workspaces/{ws.Id}/performance")).StatusCode);
    }
}

[Collection(ApiCollection.Name)]
public sealed class KeyRevocationTests(ApiFactory factory)
{
    [Fact]
    public async Task RevokedKeyGets401AndListingNeverShowsKeys()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var admin = ws.Admin();
        var keys = await admin.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/keys");
        Assert.Equal(3, keys.GetArrayLength());
        Assert.DoesNotContain(ws.ReadKey, keys.ToString());
        var readId = keys.EnumerateArray().Single(k => k.GetProperty("role").GetString() == "read").GetProperty("id").GetString();

        using var reader = ws.Reader();
        Assert.Equal(200, (int)(await reader.GetAsync($"/v1/workspaces/{ws.Id}/performance")).StatusCode);
        Assert.Equal(204, (int)(await admin.DeleteAsync($"/v1/workspaces/{ws.Id}/keys/{readId}")).StatusCode);
        await (await reader.GetAsync($"/v1/workspaces/{ws.Id}/performance")).ReadProblemAsync(401);
        await (await admin.DeleteAsync($"/v1/workspaces/{ws.Id}/keys/{Guid.NewGuid()}")).ReadProblemAsync(404);
    }
}

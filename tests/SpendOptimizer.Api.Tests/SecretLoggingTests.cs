using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

/// <summary>Keys and the database password must never reach the logs, even when an operator turns logging up to Trace.</summary>
[Collection(ApiCollection.Name)]
public sealed class SecretLoggingTests
{
    [Fact]
    public async Task NoKeyOrPasswordAppearsInLogsAtTraceLevel()
    {
        var logs = new CapturedLogs();
        await using var factory = new ApiFactory
        {
            Configure = b =>
        {
            b.UseSetting("Logging:LogLevel:Default", "Trace");
            b.UseSetting("Logging:LogLevel:Microsoft", "Trace");
            b.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace");
            b.ConfigureLogging(l => l.AddProvider(logs));
        },
        };
        var ws = await factory.CreateWorkspaceAsync();
        var wrong = "so_" + Guid.NewGuid().ToString("N");
        var root = $"/v1/workspaces/{ws.Id}";

        using (var reader = factory.ClientWithKey(null))
        {
            Assert.True((await reader.GetAsync($"{root}/performance?format=csv&api_key={ws.ReadKey}")).IsSuccessStatusCode);
            Assert.Equal(401, (int)(await reader.GetAsync($"{root}/performance?api_key={ws.IngestKey}")).StatusCode);
            Assert.Equal(401, (int)(await reader.GetAsync($"{root}/performance?api_key={wrong}")).StatusCode);
        }
        using (var ingest = ws.Ingest())
        {
            var bad = await ingest.PutAsync($"{root}/performance", TestWorkspace.Csv($"date,channel,spend\n2026-01-01,{ws.IngestKey},x\n"));
            Assert.Equal(400, (int)bad.StatusCode);
            Assert.Equal(404, (int)(await ingest.GetAsync($"{root}/recommendations/{Guid.NewGuid()}")).StatusCode);
        }
        using (var admin = ws.Admin())
        {
            var issued = await admin.PostAsJsonAsync($"{root}/keys", new { role = "read", label = "logged?" });
            Assert.True(issued.IsSuccessStatusCode);
            var key = (await issued.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("key").GetString()!;
            using var withNew = factory.ClientWithKey(key);
            Assert.True((await withNew.GetAsync($"{root}/economics")).IsSuccessStatusCode);
            Assert.Equal(401, (int)(await factory.ClientWithKey(wrong).GetAsync($"{root}/economics")).StatusCode);

            var text = logs.Text();
            Assert.Contains("Executing endpoint", text); // request-level Trace logging really was captured
            var password = new NpgsqlConnectionStringBuilder(ApiFactory.ConnectionString).Password!;
            foreach (var (name, secret) in new[]
                     {
                         ("operator key", factory.OperatorKey), ("admin key", ws.AdminKey), ("ingest key", ws.IngestKey),
                         ("read key", ws.ReadKey), ("new read key", key), ("wrong key", wrong), ("database password", password),
                     })
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"the {name} appears in the logs");
        }
    }
}

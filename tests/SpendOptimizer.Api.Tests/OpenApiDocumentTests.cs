using System.Diagnostics;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

/// <summary>BI tools and client generators read the OpenAPI document: it must be valid and complete.</summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiDocumentTests(ApiFactory factory)
{
    private async Task<(string Text, JsonElement Doc)> DocumentAsync()
    {
        using var client = factory.CreateClient();
        var text = await client.GetStringAsync("/swagger/v1/swagger.json");
        return (text, JsonDocument.Parse(text).RootElement);
    }

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement doc) =>
        doc.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => (p.Name, m.Name.ToUpperInvariant(), m.Value)));

    [Fact]
    public async Task DocumentIsValidAgainstTheOpenApiSpecificationByAnIndependentValidator()
    {
        var (text, _) = await DocumentAsync();
        var root = RepositoryFiles.Root();
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, text);
        try
        {
            var validator = Path.Combine(root, "tests", "openapi", "validate.mjs");
            Assert.True(Directory.Exists(Path.Combine(root, "tests", "openapi", "node_modules")),
                "run `npm ci` in tests/openapi first (scripts/test.sh does)");
            using var node = Process.Start(new ProcessStartInfo("node", [validator, file])
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            })!;
            var output = await node.StandardOutput.ReadToEndAsync() + await node.StandardError.ReadToEndAsync();
            await node.WaitForExitAsync();
            Assert.True(node.ExitCode == 0, output);
            Assert.Contains("valid OpenAPI", output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task EveryOperationHasAUniqueIdASummaryAndDeclaresItsErrors()
    {
        var (_, doc) = await DocumentAsync();
        var failures = new List<string>();
        var ids = new HashSet<string>();
        foreach (var (path, method, op) in Operations(doc))
        {
            var name = $"{method} {path}";
            if (!op.TryGetProperty("operationId", out var id) || !ids.Add(id.GetString()!)) failures.Add($"{name}: missing or repeated operationId");
            if (!op.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString())) failures.Add($"{name}: no summary");
            var responses = op.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
            if (!responses.Any(r => r.StartsWith('2'))) failures.Add($"{name}: no success response");
            if (path.StartsWith("/v1/workspaces/{ws}", StringComparison.Ordinal))
                foreach (var status in new[] { "401", "403", "404" })
                    if (!responses.Contains(status)) failures.Add($"{name}: {status} not declared");
            if (method is "POST" or "PUT" && !responses.Contains("400")) failures.Add($"{name}: 400 not declared");
            foreach (var r in op.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
                if (!r.Value.TryGetProperty("content", out var content) || !content.TryGetProperty("application/problem+json", out _))
                    failures.Add($"{name}: {r.Name} is not declared as application/problem+json");
        }
        Assert.Empty(failures);
    }

    [Fact]
    public async Task ExamplesMatchTheirSchemasEnumsAreStringsAndPagingIsDocumented()
    {
        var (_, doc) = await DocumentAsync();
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        var failures = new List<string>();
        foreach (var name in new[] { "CreateRecommendationRequest", "PerformanceRow", "PutScheduleRequest", "RecommendationLine", "OutcomeLine", "UpsertResult" })
            if (!schemas.TryGetProperty(name, out var s) || !s.TryGetProperty("example", out _)) failures.Add($"{name}: no example in {(schemas.TryGetProperty(name, out var x) ? x.ToString()[..Math.Min(300, x.ToString().Length)] : "(missing)")}");
        foreach (var schema in schemas.EnumerateObject())
        {
            if (schema.Value.TryGetProperty("example", out var example) && example.ValueKind == JsonValueKind.Object)
            {
                var properties = schema.Value.GetProperty("properties");
                foreach (var p in example.EnumerateObject().Where(p => !properties.TryGetProperty(p.Name, out _)))
                    failures.Add($"{schema.Name}: example has '{p.Name}', which the schema does not");
            }
            if (schema.Value.TryGetProperty("enum", out var values) && values.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
                failures.Add($"{schema.Name}: enum values are not strings");
        }
        foreach (var (path, method, op) in Operations(doc).Where(o => o.Method == "GET"))
        {
            // CSV is an alternative representation: the JSON answer must stay described beside it.
            if (op.GetProperty("responses").TryGetProperty("200", out var ok) && ok.TryGetProperty("content", out var content)
                && content.TryGetProperty("text/csv", out _) && !content.TryGetProperty("application/json", out _))
                failures.Add($"GET {path}: 200 declares text/csv but not application/json");
            if (!op.TryGetProperty("parameters", out var parameters)) continue;
            var names = parameters.EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
            if (!names.TryGetValue("cursor", out var cursor)) continue;
            if (!cursor.TryGetProperty("description", out _) || !names.TryGetValue("limit", out var limit) || !limit.TryGetProperty("description", out _))
                failures.Add($"GET {path}: paging parameters undocumented");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task ApiKeySecuritySchemeIsDeclaredAndRequired()
    {
        var (_, doc) = await DocumentAsync();
        var scheme = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.True(doc.GetProperty("security").GetArrayLength() > 0);
    }
}

using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

/// <summary>Query parameters are read as strictly as uploads: one spelling, ISO dates, declared ranges and choices, and a named refusal.</summary>
[Collection(ApiCollection.Name)]
public sealed partial class QueryParameterTests(ApiFactory factory)
{
    private async Task<JsonElement> DocumentAsync()
    {
        using var client = factory.CreateClient();
        return JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
    }

    private sealed record QueryParameter(string Method, string Path, string Name, JsonElement Schema);

    private static IEnumerable<QueryParameter> QueryParameters(JsonElement doc) =>
        from path in doc.GetProperty("paths").EnumerateObject()
        from method in path.Value.EnumerateObject()
        where method.Value.TryGetProperty("parameters", out _)
        from p in method.Value.GetProperty("parameters").EnumerateArray()
        where p.GetProperty("in").GetString() == "query"
        select new QueryParameter(method.Name.ToUpperInvariant(), path.Name, p.GetProperty("name").GetString()!, p.GetProperty("schema"));

    private static bool Is(JsonElement schema, string type) =>
        schema.TryGetProperty("type", out var t) && (t.ValueKind == JsonValueKind.String
            ? t.GetString() == type
            : t.EnumerateArray().Any(x => x.GetString() == type));

    /// <summary>Values each declared parameter must refuse, read from its schema: wrong shape, out of range, not a choice.</summary>
    private static IEnumerable<string> BadValues(QueryParameter p)
    {
        var s = p.Schema;
        var format = s.TryGetProperty("format", out var f) ? f.GetString() : null;
        if (s.TryGetProperty("enum", out var choices)) yield return "pdf-" + choices[0].GetString();
        else if (Is(s, "integer"))
        {
            yield return "abc";
            if (s.TryGetProperty("maximum", out var max)) yield return (max.GetInt64() + 1).ToString();
            if (s.TryGetProperty("minimum", out var min)) yield return (min.GetInt64() - 1).ToString();
        }
        else if (Is(s, "number")) yield return "NaN";
        else if (Is(s, "boolean")) yield return "maybe";
        else if (format == "date") { yield return "02/03/2025"; yield return "2025-13-01"; }
        else if (format == "uuid") yield return "not-an-id";
        else if (p.Name == "cursor") yield return "not-a-cursor";
    }

    [Fact]
    public async Task EveryQueryParameterOfEveryRouteRefusesABadValueWithAProblemNamingIt()
    {
        var doc = await DocumentAsync();
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Admin();
        var failures = new List<string>();
        var covered = new HashSet<string>();
        foreach (var p in QueryParameters(doc))
            foreach (var bad in BadValues(p))
            {
                var target = p.Path.Replace("{ws}", ws.Id).Replace("{id}", Guid.NewGuid().ToString()) + $"?{p.Name}={Uri.EscapeDataString(bad)}";
                using var request = new HttpRequestMessage(new HttpMethod(p.Method), target);
                if (p.Method != "GET") request.Content = TestWorkspace.Csv("");
                using var response = await client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var name = $"{p.Method} {target}";
                if (response.StatusCode != HttpStatusCode.BadRequest) { failures.Add($"{name}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 200)]}"); continue; }
                if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") { failures.Add($"{name}: not problem+json"); continue; }
                if (!NamesParameter(JsonDocument.Parse(text).RootElement, p.Name)) failures.Add($"{name}: does not name {p.Name}: {text}");
                covered.Add(p.Name);
            }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Superset(new HashSet<string> { "from", "to", "limit", "cursor", "format", "grain", "as_of", "prior_sd", "fit_id", "pool_tested", "metric" }, covered);
    }

    [Fact]
    public async Task AQueryParameterNoRouteTakesIsRefusedNamingItWhileCacheBustersAndTheKeyPass()
    {
        var doc = await DocumentAsync();
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Admin();
        var failures = new List<string>();
        var routes = (from path in doc.GetProperty("paths").EnumerateObject()
                      from method in path.Value.EnumerateObject()
                      let body = method.Value.TryGetProperty("requestBody", out var b) ? b.GetProperty("content").EnumerateObject().First().Name : null
                      select (Method: method.Name.ToUpperInvariant(), Path: path.Name, Body: body)).ToList();
        foreach (var (method, path, body) in routes)
        {
            var target = Placeholder().Replace(path.Replace("{ws}", ws.Id), Guid.NewGuid().ToString()) + "?formt=csv";
            using var request = new HttpRequestMessage(new HttpMethod(method), target);
            // A body of the route's own kind: the query is judged before the body is read.
            if (method != "GET") request.Content = new StringContent(body == "application/json" ? "{}" : "", System.Text.Encoding.UTF8, body ?? "text/csv");
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.BadRequest || !NamesParameter(JsonDocument.Parse(text).RootElement, "formt"))
                failures.Add($"{method} {target}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 200)]}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(routes.Count > 30);

        var pulled = await factory.CreateClient().GetAsync($"/v1/workspaces/{ws.Id}/performance?format=csv&_refresh=42&api_key={ws.ReadKey}");
        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        Assert.StartsWith("date,channel", await pulled.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Refusals before the handler list the parameter as the errors' column and in the detail; a handler that checks its
    /// query as a whole (…/kpis) answers a validation problem keyed by the parameter.
    /// </summary>
    private static bool NamesParameter(JsonElement problem, string name) =>
        problem.GetProperty("errors") is var errors && errors.ValueKind == JsonValueKind.Array
            ? errors.GetArrayLength() > 0 && errors[0].GetProperty("column").GetString() == name
              && problem.GetProperty("detail").GetString()!.Contains($"?{name}=", StringComparison.Ordinal)
            : errors.TryGetProperty(name, out var messages) && messages.GetArrayLength() > 0;

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex SnakeCase();

    [Fact]
    public async Task TheDocumentNamesQueryParametersInSnakeCaseWithTheirChoicesAndRanges()
    {
        var parameters = QueryParameters(await DocumentAsync()).ToList();
        Assert.All(parameters, p => Assert.Matches(SnakeCase(), p.Name));
        var list = parameters.Where(p => p is { Method: "GET", Path: "/v1/workspaces/{ws}/performance" }).ToDictionary(p => p.Name, p => p.Schema);
        Assert.Equal(["json", "csv"], list["format"].GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, list["limit"].GetProperty("minimum").GetInt32());
        Assert.Equal(10_000, list["limit"].GetProperty("maximum").GetInt32());
        var upload = parameters.Single(p => p is { Method: "PUT", Path: "/v1/workspaces/{ws}/performance", Name: "grain" });
        Assert.Equal(["day", "week"], upload.Schema.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        var kpis = parameters.Single(p => p is { Path: "/v1/workspaces/{ws}/kpis", Name: "grain" });
        Assert.Equal(["week", "month", "total"], kpis.Schema.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        var latest = parameters.Single(p => p is { Path: "/v1/workspaces/{ws}/recommendations/latest", Name: "format" });
        Assert.Equal(["json", "csv", "xlsx"], latest.Schema.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("from=02/03/2025", "from", "02/03/2025", "yyyy-MM-dd")]
    [InlineData("from=2025-13-01", "from", "2025-13-01", "yyyy-MM-dd")]
    [InlineData("to=1700-01-01", "to", "1700-01-01", "between")]
    [InlineData("limit=0", "limit", "0", "1 to 10,000")]
    [InlineData("limit=20000", "limit", "20000", "1 to 10,000")]
    [InlineData("limit=abc", "limit", "abc", "whole number")]
    [InlineData("format=pdf", "format", "pdf", "json, csv")]
    [InlineData("limit=5&limit=6", "limit", "5,6", "once")]
    public async Task ABadListParameterIsRefusedNamingItsValueAndWhatIsAllowed(string query, string name, string value, string allowed)
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var response = await ws.Reader().GetAsync($"/v1/workspaces/{ws.Id}/performance?{query}");
        var problem = await response.ReadProblemAsync(400);
        var error = Assert.Single(problem.Errors());
        Assert.Equal(name, error.GetProperty("column").GetString());
        Assert.Equal(value, error.GetProperty("value").GetString());
        Assert.Contains(allowed, error.GetProperty("reason").GetString());
        Assert.Contains($"?{name}=", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("from=2025-02-03&to=2025-02-09&limit=1&format=csv")]
    [InlineData("FROM=2025-02-03&Limit=10000&format=JSON")]
    [InlineData("limit=1&format=")]
    public async Task GoodListParametersAreAnswered(string query)
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var response = await ws.Reader().GetAsync($"/v1/workspaces/{ws.Id}/performance?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

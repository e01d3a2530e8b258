using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpendOptimizer.Api.Tests.Hostile;

/// <summary>One generated request: a target relative to the API root, and a body or none.</summary>
public sealed record HostileRequest(string Name, string Method, string Target, string? ContentType, byte[]? Body)
{
    /// <summary>Kestrel itself answers a bare 400 to a path that decodes to NUL, before any of the service runs.</summary>
    public bool KestrelRefuses => Target.Split('?')[0].Contains("%00", StringComparison.Ordinal);
}

/// <summary>
/// Hostile requests for every operation of the API's OpenAPI document: each query parameter (cursors included), each
/// top-level body field in JSON and in CSV, path ids, and whole-body damage, filled with <see cref="HostileValues"/>.
/// The same seed gives the same requests, so a failure seen once can be replayed.
/// </summary>
public sealed class HostileGenerator
{
    private sealed record Operation(string Method, string Path, string Route, string[] Query, string[] Fields, bool Json, bool Csv);

    private readonly List<Operation> operations = [];
    private readonly string workspace;

    /// <param name="openApi">The API's own document (/swagger/v1/swagger.json), so a new route or parameter is covered without listing it here.</param>
    /// <param name="workspace">The workspace id put into every {ws}.</param>
    public HostileGenerator(JsonElement openApi, string workspace)
    {
        this.workspace = workspace;
        var schemas = openApi.GetProperty("components").GetProperty("schemas");
        foreach (var path in openApi.GetProperty("paths").EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
            foreach (var method in path.Value.EnumerateObject().OrderBy(m => m.Name, StringComparer.Ordinal))
            {
                var op = method.Value;
                var query = op.TryGetProperty("parameters", out var ps)
                    ? ps.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!).ToList()
                    : [];
                if (method.Name == "get" && path.Name.StartsWith("/v1/workspaces/{ws}", StringComparison.Ordinal)) query.Add("api_key");
                string[] fields = [];
                bool json = false, csv = false;
                if (op.TryGetProperty("requestBody", out var body) && body.TryGetProperty("content", out var content))
                    foreach (var media in content.EnumerateObject())
                    {
                        csv |= media.Name == "text/csv";
                        if (media.Name != "application/json") continue;
                        json = true;
                        if (media.Value.TryGetProperty("schema", out var schema)) fields = Properties(schema, schemas);
                    }
                var route = path.Name.StartsWith("/v1/workspaces/{ws}/", StringComparison.Ordinal) ? path.Name["/v1/workspaces/{ws}/".Length..] : path.Name;
                operations.Add(new(method.Name.ToUpperInvariant(), path.Name, route, [.. query], fields, json, csv));
            }
    }

    public int Operations => operations.Count;

    /// <summary><paramref name="count"/> requests drawn with <paramref name="seed"/>, operations taken in turn so each is reached as often.</summary>
    public IEnumerable<HostileRequest> Cases(int seed, int count)
    {
        var rng = new Random(seed);
        var values = HostileValues.All;
        for (var i = 0; i < count; i++)
        {
            var op = operations[(i + seed) % operations.Count];
            var value = values[rng.Next(values.Count)];
            var kinds = new List<Func<HostileRequest>>();
            if (op.Query.Length > 0) kinds.Add(() => QueryCase(op, op.Query[rng.Next(op.Query.Length)], value, rng));
            if (op.Path.Contains("{id}")) kinds.Add(() => Request(op, $"id = {value.Name}", Target(op, Percent(value.Raw)), null, null));
            if (op.Json) kinds.Add(() => JsonCase(op, value, rng));
            if (op.Json && NestedSeeds.Any(n => n.Route == op.Route && n.Method == op.Method)) kinds.Add(() => NestedJsonCase(op, value, rng));
            if (op.Csv) kinds.Add(() => CsvCase(op, value, rng));
            if (op.Json || op.Csv) kinds.Add(() => DamagedBody(op, rng));
            if (kinds.Count == 0) kinds.Add(() => Request(op, "plain", Target(op, null), null, null));
            yield return kinds[rng.Next(kinds.Count)]();
        }
    }

    private HostileRequest QueryCase(Operation op, string name, HostileValue value, Random rng)
    {
        var query = $"{name}={Percent(value.Raw)}";
        var what = $"?{name} = {value.Family} {value.Name}";
        switch (rng.Next(6))
        {
            case 0: // the same parameter twice
                query += $"&{name}=1";
                what += " (twice)";
                break;
            case 1 when op.Query.Length > 1: // a second parameter hostile too
                var other = op.Query[rng.Next(op.Query.Length)];
                var second = HostileValues.All[rng.Next(HostileValues.All.Count)];
                query += $"&{other}={Percent(second.Raw)}";
                what += $", ?{other} = {second.Name}";
                break;
            case 2: // the value as a parameter's name
                query = $"{Percent(value.Raw)}=1";
                what = $"parameter named {value.Name}";
                break;
        }
        return Request(op, what, Target(op, null) + "?" + query, null, null);
    }

    private HostileRequest JsonCase(Operation op, HostileValue value, Random rng)
    {
        var seedBody = HostileCorpus.JsonRoutes.FirstOrDefault(r => r.Route == op.Route && r.Method == op.Method).Json;
        var node = seedBody is null ? new JsonObject() : JsonNode.Parse(seedBody)!;
        var item = node is JsonArray array ? array[0]!.AsObject() : node.AsObject();
        var known = item.Select(p => p.Key).Concat(op.Fields).Distinct().ToArray();
        var field = known.Length == 0 ? "x" : known[rng.Next(known.Length)];
        item.Remove(field);
        var rest = Encoding.UTF8.GetBytes(node.ToJsonString());
        // The hostile value goes in first, as raw bytes: it may not be JSON, or not UTF-8, which no JSON writer would produce.
        var open = Array.IndexOf(rest, (byte)'{');
        var separator = item.Count > 0 ? ","u8.ToArray() : [];
        byte[] body = [.. rest[..(open + 1)], .. Encoding.UTF8.GetBytes($"\"{field}\":"), .. value.Json, .. separator, .. rest[(open + 1)..]];
        return Request(op, $"JSON {field} = {value.Family} {value.Name}", Target(op, null), "application/json", body);
    }

    /// <summary>Valid bodies with objects inside objects (today's plan, bounds, parameters, a schedule's request, geo rows).</summary>
    private static readonly (string Route, string Method, string Json)[] NestedSeeds =
    [
        ("recommendations", "POST", """{"current":{"search":1000,"social":500},"budget":1500,"bounds":{"search":{"min":100,"max":2000}},"locks":["social"],"parameters":{"band_max":0.2,"objective":"clv"}}"""),
        ("budget-curve", "POST", """{"current":{"search":1000,"social":500},"bounds":{"search":{"min":100,"max":2000}},"locks":["social"],"parameters":{"band_max":0.2},"from":-0.2,"to":0.2,"step":0.1}"""),
        ("scenarios", "POST", """{"name":"options","scenarios":[{"name":"today","request":{"current":{"search":1000,"social":500},"locks":["social"]}},{"name":"more","request":{"current":{"search":1000,"social":500},"budget":1700,"bounds":{"search":{"max":2000}},"parameters":{"band_max":0.2}}}]}"""),
        ("plans", "POST", """{"horizon_weeks":4,"current":{"search":1000,"social":500},"weekly_budgets":[1500,1500,1500,1500],"bounds":{"search":{"max":2000}},"parameters":{"band_min":0.1}}"""),
        ("schedule", "PUT", """{"cron":"0 6 * * 1","time_zone":"Europe/Berlin","request":{"current":{"search":1000},"bounds":{"search":{"min":1}},"parameters":{"band_max":0.2}}}"""),
        ("response-curves/fit", "POST", """{"parameters":{"theta":0.3,"shared_demand":true},"calibration":{"prior_sd":1,"untested_prior":"flat"}}"""),
        ("attribution-runs", "POST", """{"model":"time_decay","source":"paths","parameters":{"half_life":2}}"""),
        ("lift-tests/analyze", "POST", """{"channel":"search","start":"2026-01-10","end":"2026-01-12","rows":[{"geo":"a","date":"2026-01-01","treated":true,"kpi":5,"spend":1}]}"""),
    ];

    /// <summary>Placeholders written where the hostile bytes go; control characters no seed body holds.</summary>
    private const string ValueSlot = "\u0001hostile\u0001", KeySlot = "\u0002name\u0002";

    /// <summary>One value inside a nested object or array replaced by the hostile value's raw bytes, or one nested key by it.</summary>
    private HostileRequest NestedJsonCase(Operation op, HostileValue value, Random rng)
    {
        var root = JsonNode.Parse(NestedSeeds.First(n => n.Route == op.Route && n.Method == op.Method).Json)!;
        var leaves = new List<(JsonNode Parent, string? Key, int Index, string Path)>();
        void Walk(JsonNode node, string path, int depth)
        {
            if (node is JsonObject o)
                foreach (var (k, v) in o.ToList())
                {
                    if (depth >= 1) leaves.Add((o, k, -1, $"{path}.{k}"));
                    if (v is not null) Walk(v, $"{path}.{k}", depth + 1);
                }
            else if (node is JsonArray a)
                for (var i = 0; i < a.Count; i++)
                {
                    if (depth >= 1) leaves.Add((a, null, i, $"{path}[{i}]"));
                    if (a[i] is { } v) Walk(v, $"{path}[{i}]", depth + 1);
                }
        }
        Walk(root, "", 0);
        var (parent, key, index, at) = leaves[rng.Next(leaves.Count)];
        var asKey = key is not null && value.Json is [(byte)'"', ..] && rng.Next(3) == 0;
        string what;
        if (asKey)
        {
            // The hostile string as the name: a channel in current or bounds, a parameter's name.
            var o = (JsonObject)parent;
            var kept = o[key!];
            o.Remove(key!);
            o[KeySlot] = kept?.DeepClone();
            what = $"JSON key {at} = {value.Family} {value.Name}";
        }
        else
        {
            if (key is not null) ((JsonObject)parent)[key] = ValueSlot;
            else ((JsonArray)parent)[index] = ValueSlot;
            what = $"JSON {at} = {value.Family} {value.Name}";
        }
        var text = Encoding.UTF8.GetBytes(root.ToJsonString());
        // The value goes in as raw bytes (it may not be JSON, or not UTF-8), where the placeholder was written.
        var slot = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(asKey ? KeySlot : ValueSlot));
        var start = text.AsSpan().IndexOf(slot);
        byte[] body = [.. text[..start], .. value.Json, .. text[(start + slot.Length)..]];
        return Request(op, what, Target(op, null), "application/json", body);
    }

    private HostileRequest CsvCase(Operation op, HostileValue value, Random rng)
    {
        var (_, _, header, row) = HostileCorpus.CsvRoutes.FirstOrDefault(r => r.Route == op.Route && r.Method == op.Method);
        if (header is null) return Request(op, $"CSV = {value.Name}", Target(op, null), "text/csv", [.. "a,b\n"u8, .. value.Raw, (byte)'\n']);
        var columns = header.Split(',');
        var fields = row.Split(',').Select(f => Encoding.UTF8.GetBytes(f)).ToArray();
        var at = rng.Next(fields.Length);
        var quoted = rng.Next(3) == 0;
        fields[at] = quoted ? [(byte)'"', .. value.Raw, (byte)'"'] : value.Raw;
        var line = new List<byte>();
        for (var k = 0; k < fields.Length; k++)
        {
            if (k > 0) line.Add((byte)',');
            line.AddRange(fields[k]);
        }
        return Request(op, $"CSV {columns[at]} = {value.Family} {value.Name}{(quoted ? " (quoted)" : "")}", Target(op, null), "text/csv",
            [.. Encoding.UTF8.GetBytes(header + "\n"), .. line, (byte)'\n']);
    }

    /// <summary>A valid body of the route, then broken as a whole: cut, prefixed, suffixed or replaced by noise.</summary>
    private HostileRequest DamagedBody(Operation op, Random rng)
    {
        var csvSeed = HostileCorpus.CsvRoutes.FirstOrDefault(r => r.Route == op.Route && r.Method == op.Method);
        var jsonSeed = HostileCorpus.JsonRoutes.FirstOrDefault(r => r.Route == op.Route && r.Method == op.Method).Json;
        var useCsv = op.Csv && (!op.Json || rng.Next(2) == 0);
        var valid = Encoding.UTF8.GetBytes(useCsv ? (csvSeed.Header is null ? "a\n1\n" : $"{csvSeed.Header}\n{csvSeed.Row}\n") : jsonSeed ?? "{}");
        var type = useCsv ? "text/csv" : "application/json";
        var noise = new byte[rng.Next(1, 4096)];
        rng.NextBytes(noise);
        (string What, byte[] Body) damage = rng.Next(7) switch
        {
            0 => ("cut", valid[..rng.Next(valid.Length)]),
            1 => ("BOM twice", [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. valid]),
            2 => ("NUL after", [.. valid, 0, 0]),
            3 => ("random bytes", noise),
            4 => ("UTF-16", Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(valid))),
            5 => ("byte flipped", Flip(valid, rng)),
            _ => ("valid", valid),
        };
        return Request(op, $"{(useCsv ? "CSV" : "JSON")} body {damage.What}", Target(op, null), type, damage.Body);
    }

    private static byte[] Flip(byte[] valid, Random rng)
    {
        var copy = valid.ToArray();
        copy[rng.Next(copy.Length)] ^= (byte)(1 << rng.Next(8));
        return copy;
    }

    private string Target(Operation op, string? id) =>
        op.Path.Replace("{ws}", workspace).Replace("{id}", id ?? "019ab5c2-7d1e-7c3a-9f0e-2b8d4c6a1e53");

    private static HostileRequest Request(Operation op, string what, string target, string? type, byte[]? body) =>
        new($"{op.Method} {op.Path} {what}", op.Method, target, type, body);

    /// <summary>Every byte outside the unreserved set as %XX, so invalid UTF-8 and NUL arrive as they are.</summary>
    private static string Percent(byte[] bytes)
    {
        var s = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
                s.Append((char)b);
            else s.Append('%').Append(b.ToString("X2"));
        return s.ToString();
    }

    /// <summary>A body schema's top-level property names, following $ref and array items.</summary>
    private static string[] Properties(JsonElement schema, JsonElement schemas)
    {
        for (var depth = 0; depth < 8; depth++)
        {
            if (schema.TryGetProperty("$ref", out var r)) schema = schemas.GetProperty(r.GetString()!.Split('/')[^1]);
            else if (schema.TryGetProperty("items", out var items)) schema = items;
            else break;
        }
        return schema.TryGetProperty("properties", out var props) ? [.. props.EnumerateObject().Select(p => p.Name)] : [];
    }
}

using System.Text;

namespace SpendOptimizer.Api.Tests.Hostile;

/// <summary>What a case may answer: it must be refused (4xx), it is valid (2xx), or either, but never a 5xx.</summary>
public enum Expect { Reject, Accept, Either }

public sealed record HostileCase(string Name, string Method, string Route, string ContentType, byte[] Body, Expect Expect);

/// <summary>
/// Malformed inputs for every ingest and command route, generated from one valid body per route: each field replaced
/// by each hostile value, and whole-body damage (encodings, structure, size).
/// </summary>
public static class HostileCorpus
{
    /// <summary>A valid CSV upload per route: header and one row.</summary>
    internal static readonly (string Route, string Method, string Header, string Row)[] CsvRoutes =
    [
        ("performance", "PUT", "date,channel,spend,impressions,clicks,conversions,revenue,new_customers", "2026-01-05,search,100,10,1,1,10,1"),
        ("touchpoints", "POST", "journey_id,timestamp,event,channel,campaign,value", "j1,2026-01-05T10:00:00Z,touch,search,spring,"),
        ("paths", "PUT", "path,total_conversions,total_conversion_value,total_null", "search > social,1,10,2"),
        ("lift-tests", "POST", "id,channel,kind,start,end,incremental_conversions,stderr,attributed_conversions,spend", "t1,search,geo,2026-01-05,2026-01-18,10,2,20,1000"),
        ("economics", "PUT", "channel,arpa_monthly,gross_margin,monthly_churn,annual_discount_rate", "all,50,0.8,0.05,0.1"),
    ];

    /// <summary>Valid JSON bodies; the array routes take the same rows as the CSV ones.</summary>
    internal static readonly (string Route, string Method, string Json)[] JsonRoutes =
    [
        ("performance", "PUT", """[{"date":"2026-01-05","channel":"search","spend":100,"impressions":10,"clicks":1,"conversions":1,"revenue":10,"new_customers":1}]"""),
        ("paths", "PUT", """[{"path":"search > social","total_conversions":1,"total_conversion_value":10,"total_null":2}]"""),
        ("lift-tests", "POST", """[{"id":"t1","channel":"search","kind":"geo","start":"2026-01-05","end":"2026-01-18","incremental_conversions":10,"stderr":2,"attributed_conversions":20,"spend":1000}]"""),
        ("economics", "PUT", """[{"channel":"all","arpa_monthly":50,"gross_margin":0.8,"monthly_churn":0.05,"annual_discount_rate":0.1}]"""),
        ("lift-tests/analyze", "POST", """{"channel":"search","start":"2026-01-10","end":"2026-01-12","rows":[{"geo":"a","date":"2026-01-01","treated":true,"kpi":5,"spend":1}]}"""),
        ("attribution-runs", "POST", """{"model":"markov","source":"paths","parameters":{"order":2}}"""),
        ("response-curves/fit", "POST", """{"from":"2025-01-06","use_lift_tests":true}"""),
        ("recommendations", "POST", """{"budget":1000,"locks":["tv"],"parameters":{"band_max":0.2}}"""),
        ("schedule", "PUT", """{"cron":"0 6 * * 1","time_zone":"Europe/Berlin"}"""),
    ];

    private static readonly string Huge = new('x', 3_000_000);

    /// <summary>Values put into one CSV field at a time.</summary>
    internal static readonly string[] CsvValues =
    [
        "", "   ", "NaN", "Infinity", "-Infinity", "1e309", "-1e309", "-0", "-5", "1,5", "\"1,5\"", "0x10", "1_000", "１２", "١٢٣", "NULL",
        "0000-01-01", "9999-12-31", "2026-02-30", "2026-13-01", "2026-01-01T00:00:00+25:00", "2026-01-01T24:00:00Z", "1/5/2026",
        "'; drop table channel_performance; --", "\"a\"\"b\"", "\"a\nb\"", "\"a\r\nb\"", "a\0b", "\"a", "a\"b",
        "a >> b", "a > > b", " > a", "a>b>", "a\tb", "a ＞ b", "search > \u200bsocial", "\u202eevil", "<script>alert(1)</script>",
        "C:\\temp\\x", "../../etc/passwd", "a/b\\c", new string('9', 400), Huge,
    ];

    /// <summary>JSON values put into one property at a time (raw JSON text).</summary>
    internal static readonly string[] JsonValues =
    [
        "null", "true", "[]", "{}", "\"\"", "\"NaN\"", "NaN", "Infinity", "1e309", "-0", "-5", "\"12\"", "12", "1.5e2",
        "\"0000-01-01\"", "\"2026-02-30\"", "\"9999-12-31\"", "\"'; drop table lift_tests; --\"", "\"a\\u0000b\"", "\"\\ud800\"",
        "\"a >> b\"", "\" > a\"", "\"<script>\"", "\"" + new string('y', 2_000_000) + "\"", new string('[', 5000) + new string(']', 5000),
    ];

    public static IEnumerable<HostileCase> Cases()
    {
        foreach (var (route, method, header, row) in CsvRoutes)
        {
            var columns = header.Split(',');
            var fields = row.Split(',');
            for (var f = 0; f < fields.Length; f++)
                foreach (var value in CsvValues)
                {
                    var mutated = fields.ToArray();
                    mutated[f] = value;
                    yield return Csv($"{route}: {columns[f]} = {Show(value)}", method, route, $"{header}\n{string.Join(',', mutated)}\n", Universal(value));
                }
            foreach (var c in WholeCsv(route, method, header, row)) yield return c;
        }
        foreach (var (route, method, json) in JsonRoutes)
        {
            foreach (var (name, body) in PropertyMutations(json))
                yield return new HostileCase($"{route} JSON: {name}", method, route, "application/json", Encoding.UTF8.GetBytes(body),
                    route.Contains('/') || !json.StartsWith('[') ? Expect.Either : Universal(name));
            foreach (var c in WholeJson(route, method, json)) yield return c;
        }
    }

    private static IEnumerable<HostileCase> WholeCsv(string route, string method, string header, string row)
    {
        var valid = $"{header}\n{row}\n";
        // Touch events are insert-only: the accepted cases carry journeys of their own so an earlier case cannot clash.
        yield return Csv($"{route}: valid", method, route, valid.Replace("j1,", "j-valid,"), Expect.Accept);
        yield return new($"{route}: UTF-8 BOM", method, route, "text/csv", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(valid.Replace("j1,", "j-bom,"))], Expect.Accept);
        yield return new($"{route}: UTF-16 with BOM", method, route, "text/csv", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(valid)], Expect.Either);
        yield return new($"{route}: UTF-16 without BOM", method, route, "text/csv", Encoding.Unicode.GetBytes(valid), Expect.Reject);
        yield return new($"{route}: UTF-32 with BOM", method, route, "text/csv", [.. Encoding.UTF32.GetPreamble(), .. Encoding.UTF32.GetBytes(valid)], Expect.Either);
        yield return new($"{route}: Latin-1 é", method, route, "text/csv", Encoding.Latin1.GetBytes(valid.Replace("search", "recherché").Replace("all,", "allé,")), Expect.Reject);
        yield return new($"{route}: invalid UTF-8 bytes", method, route, "text/csv", [.. Encoding.UTF8.GetBytes(valid), 0xC3, 0x28, 0xFF, (byte)'\n'], Expect.Reject);
        yield return Csv($"{route}: empty body", method, route, "", Expect.Reject);
        yield return Csv($"{route}: header only", method, route, header + "\n", Expect.Either);
        yield return Csv($"{route}: unterminated quote", method, route, $"{header}\n\"{row}\n", Expect.Reject);
        yield return Csv($"{route}: 10^6 columns", method, route, header + string.Concat(Enumerable.Repeat(",x", 1_000_000)) + "\n" + row + "\n", Expect.Reject);
        yield return Csv($"{route}: 10^6 empty columns in a row", method, route, header + "\n" + row + new string(',', 1_000_000) + "\n", Expect.Reject);
        yield return Csv($"{route}: duplicated header", method, route, $"{header},{header.Split(',')[0]}\n{row},x\n", Expect.Reject);
        yield return Csv($"{route}: header missing", method, route, row + "\n", Expect.Reject);
        yield return Csv($"{route}: same row twice", method, route, $"{header}\n{row}\n{row}\n", Expect.Either);
        yield return Csv($"{route}: CRLF and blank lines", method, route, $"{header}\r\n\r\n{row}\r\n\r\n", Expect.Either);
        yield return Csv($"{route}: NUL bytes", method, route, $"{header}\n{row}\0\0\n", Expect.Reject);
        yield return Csv($"{route}: a 3 MB line", method, route, $"{header}\n{row}{Huge}\n", Expect.Reject);
        yield return Csv($"{route}: JSON sent as CSV", method, route, "[{\"a\":1}]", Expect.Reject);
        yield return new($"{route}: text/plain", method, route, "text/plain", Encoding.UTF8.GetBytes(valid), Expect.Reject);
        yield return new($"{route}: application/xml", method, route, "application/xml", Encoding.UTF8.GetBytes("<rows/>"), Expect.Reject);
    }

    private static IEnumerable<HostileCase> WholeJson(string route, string method, string json)
    {
        HostileCase J(string name, string body, Expect expect) => new($"{route} JSON: {name}", method, route, "application/json", Encoding.UTF8.GetBytes(body), expect);
        yield return J("valid", json, json.StartsWith('[') ? Expect.Accept : Expect.Either);
        yield return J("empty body", "", Expect.Reject);
        yield return J("null", "null", Expect.Reject);
        yield return J("truncated", json[..(json.Length / 2)], Expect.Reject);
        yield return J("object for array or array for object", json.StartsWith('[') ? json[1..^1] : $"[{json}]", Expect.Reject);
        yield return J("trailing comma", json[..^1] + ",]", Expect.Reject);
        yield return J("comment", "/* x */" + json, Expect.Reject);
        yield return J("duplicated key", json.StartsWith('[') ? json.Replace("[{", "[{\"channel\":\"a\",") : json.Replace("{", "{\"x\":1,\"x\":2,"), Expect.Either);
        yield return J("deep nesting", new string('[', 10_000) + new string(']', 10_000), Expect.Reject);
        yield return J("deep object nesting", string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000), Expect.Reject);
        yield return J("two documents", json + json, Expect.Reject);
        yield return J("single quotes", json.Replace('"', '\''), Expect.Reject);
        yield return new($"{route} JSON: UTF-16", method, route, "application/json", Encoding.Unicode.GetBytes(json), Expect.Either);
        yield return new($"{route} JSON: invalid UTF-8", method, route, "application/json", [.. Encoding.UTF8.GetBytes(json[..^1]), 0xC3, 0x28, (byte)json[^1]], Expect.Reject);
        yield return new($"{route} JSON: text/csv content type", method, route, "text/csv", Encoding.UTF8.GetBytes(json), Expect.Either);
    }

    /// <summary>Each property's value replaced by each hostile JSON value, found by a plain scan of "name": value.</summary>
    private static IEnumerable<(string Name, string Body)> PropertyMutations(string json)
    {
        var doc = System.Text.Json.JsonDocument.Parse(json).RootElement;
        var item = doc.ValueKind == System.Text.Json.JsonValueKind.Array ? doc[0] : doc;
        foreach (var property in item.EnumerateObject())
        {
            var original = $"\"{property.Name}\":{property.Value.GetRawText()}";
            foreach (var value in JsonValues)
                yield return ($"{property.Name} = {Show(value)}", json.Replace(original, $"\"{property.Name}\":{value}"));
        }
    }

    /// <summary>NUL characters and unpaired surrogates are refused in every field of an upload, whatever its type.</summary>
    private static Expect Universal(string value) => value.Contains('\0') || value.Contains("\\u0000") || value.Contains("\\ud800") ? Expect.Reject : Expect.Either;

    private static HostileCase Csv(string name, string method, string route, string body, Expect expect) =>
        new(name, method, route, "text/csv", Encoding.UTF8.GetBytes(body), expect);

    internal static string Show(string v) => v.Length > 24 ? $"{v[..8]}… ({v.Length:N0} chars)" : v.Replace("\0", "\\0").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t");
}

using System.Text;

namespace SpendOptimizer.Api.Tests.Hostile;

/// <summary>
/// One hostile value in the forms a request can carry it: raw bytes (a CSV field, or a query value once
/// percent-encoded) and a JSON value (bytes too, so a string can hold invalid UTF-8).
/// </summary>
public sealed record HostileValue(string Family, string Name, byte[] Raw, byte[] Json);

/// <summary>The families of hostile values the generator draws from; each family's members are fixed, the mix is seeded.</summary>
public static class HostileValues
{
    /// <summary>Offsets past ±14:00 and instants that leave the representable range once the offset is applied.</summary>
    public static readonly string[] Timestamps =
    [
        "2024-01-01T00:00:00+14:01", "2024-01-01T00:00:00-14:01", "2024-01-01T00:00:00+99:00", "9999-12-31T23:59:59-14:00",
        "9999-12-31T23:59:59-00:01", "0001-01-01T00:00:00+00:01", "0001-01-01T00:00:00+14:00", "2024-01-01 00:00:00+14:30",
        "9999-12-31T23:59:59.5-14:00", "0001-01-01T00:00:00.5+14:00",
    ];

    private static readonly string[] Dates =
    [
        "0001-01-01", "9999-12-31", "2026-02-30", "2026-13-01", "2026-00-10", "1969-12-31", "2026-1-5", "20260105", "2026-01-05T00:00:00Z",
        "2026-02-29", "2024-02-29", "+002026-01-05", "1/5/2026", "2026-01-01T24:00:00Z", "2026-12-31T23:59:60Z",
    ];

    /// <summary>Numbers written as text: the same spelling goes into a query, a CSV field and a bare JSON number.</summary>
    private static readonly string[] Numbers =
    [
        "NaN", "nan", "Infinity", "-Infinity", "∞", "1e308", "-1e308", "1.7976931348623157e308", "1e309", "-1e400", "-0", "-0.0", "1e-320",
        "4.9e-324", "1e-400", "99999999999999999999999999999", "-9223372036854775809", "9223372036854775808", "2147483648", "-2147483649",
        "0x10", "0X1F", "1_000", "+5", ".5", "5.", "1e", "--1", "1,5", "１２", "١٢٣", "0", "-1", "1e3", "00012", "1.5e2",
    ];

    /// <summary>Bytes no UTF-8 decoder may accept, and characters that are valid but must not be stored or compared.</summary>
    private static readonly (string Name, byte[] Bytes)[] Encodings =
    [
        ("0xFF", [0xFF]), ("0xC3 (", [0xC3, 0x28]), ("overlong /", [0xC0, 0xAF]), ("overlong 3-byte", [0xE0, 0x80, 0xAF]),
        ("overlong NUL", [0xC0, 0x80]), ("lone high surrogate", [0xED, 0xA0, 0x80]), ("lone low surrogate", [0xED, 0xB0, 0x80]),
        ("truncated 4-byte", [0xF0, 0x9F, 0x98]), ("above U+10FFFF", [0xF4, 0x90, 0x80, 0x80]), ("continuation alone", [0x80]),
        ("NUL", [0x00]), ("SOH", [0x01]), ("ESC colour", [0x1B, (byte)'[', (byte)'3', (byte)'1', (byte)'m']), ("DEL", [0x7F]),
        ("CR", [0x0D]), ("LF", [0x0A]), ("TAB", [0x09]), ("BOM inside", [0xEF, 0xBB, 0xBF]), ("U+FFFE", [0xEF, 0xBF, 0xBE]),
        ("U+2028", [0xE2, 0x80, 0xA8]), ("RTL override", [0xE2, 0x80, 0xAE]), ("zero width space", [0xE2, 0x80, 0x8B]),
    ];

    /// <summary>JSON escapes that decode to text PostgreSQL cannot hold or no encoder can write.</summary>
    private static readonly string[] JsonEscapes = ["\"a\\u0000b\"", "\"\\u0000\"", "\"\\ud800\"", "\"x\\udc00\"", "\"\\ud800\\u0041\"", "\"\\u001f\""];

    private static readonly int[] Lengths = [0, 1, 255, 256, 1024, 4097, 65_536];

    /// <summary>Cursors a list route never wrote: base64 of junk, cut ones, URL-unsafe alphabets.</summary>
    private static readonly string[] Cursors =
    [
        "AAAA", "AA", "A", "////", "!!!!", "====", "-_-_", "YQ", "YR8", Convert.ToBase64String("a\u001fb\u001f000000"u8.ToArray()),
        Convert.ToBase64String([0xFF, 0xFE, 0x1F, 0xC3]), Convert.ToBase64String([0x00, 0x1F, 0x00]), Convert.ToBase64String(new byte[600]),
    ];

    public static IReadOnlyList<HostileValue> All { get; } = Build();

    private static IReadOnlyList<HostileValue> Build()
    {
        var all = new List<HostileValue>();
        void Text(string family, string name, string text) =>
            all.Add(new(family, name, Encoding.UTF8.GetBytes(text), Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(text))));
        foreach (var n in Numbers)
        {
            var raw = Encoding.UTF8.GetBytes(n);
            all.Add(new("number", n, raw, raw)); // bare in JSON: most of these are not JSON numbers at all
            Text("number", $"\"{n}\"", n);
        }
        foreach (var d in Dates) Text("date", d, d);
        foreach (var t in Timestamps) Text("timestamp", t, t);
        foreach (var (name, bytes) in Encodings)
        {
            byte[] raw = [(byte)'a', .. bytes, (byte)'b'];
            all.Add(new("encoding", name, raw, [(byte)'"', .. raw, (byte)'"']));
        }
        foreach (var e in JsonEscapes) all.Add(new("encoding", e, Encoding.UTF8.GetBytes(e.Trim('"').Replace("\\u0000", "\0")), Encoding.UTF8.GetBytes(e)));
        foreach (var l in Lengths) Text("length", $"{l:N0} chars", new string('x', l));
        foreach (var c in Cursors) Text("cursor", c, c);
        // The values of the fixed corpus, kept as seeds of their classes (SQL, paths, separators, markup).
        foreach (var v in HostileCorpus.CsvValues.Where(v => v.Length < 10_000)) Text("corpus", HostileCorpus.Show(v), v);
        foreach (var v in HostileCorpus.JsonValues.Where(v => v.Length < 10_000))
            all.Add(new("corpus", HostileCorpus.Show(v), Encoding.UTF8.GetBytes(v), Encoding.UTF8.GetBytes(v)));
        return all;
    }
}

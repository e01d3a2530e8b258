using System.Text.Json;
using System.Text.RegularExpressions;

namespace SpendOptimizer.Api.Tests.Readme;

/// <summary>
/// A curl command of the README, ended by a comment giving its status: <c># → 201</c>, optionally with captures
/// <c>NAME=$.path</c> that set $NAME from the JSON answer for the commands after it, and <c>may be empty</c> for a list
/// that may hold no rows on the demo.
/// Supported curl forms, and only these (anything else fails the test that runs it):
/// <c>-X/--request METHOD</c>, <c>-H/--header 'Name: value'</c>, <c>-d/--data TEXT|@FILE</c> (a file loses its line
/// breaks, as curl does), <c>--data-binary TEXT|@FILE</c>, <c>-o/--output FILE</c> (the body is read and dropped) and one
/// URL. Data without -X is a POST; data without a Content-Type header is sent as application/x-www-form-urlencoded.
/// Files are named relative to the repository root. <paramref name="Rewrite"/> maps the README's workspace ids to
/// the test's in URLs and inline bodies.
/// </summary>
public sealed partial record CurlExample(string Source, int Line, int ExpectedStatus, string Command, IReadOnlyList<(string Name, string Path)> Captures,
    Func<string, string> Rewrite, bool MayBeEmpty) : DocumentedRequest(Source, Line, ExpectedStatus, MayBeEmpty)
{
    [GeneratedRegex(@"^→\s*(\d{3})\b(.*)$")]
    private static partial Regex Annotation();

    [GeneratedRegex(@"\b([A-Za-z_][A-Za-z0-9_]*)=(\$\S*)")]
    private static partial Regex CaptureSpec();

    public override string Label => Command.Split('\n')[0].Trim() is var first && first.Length > 90 ? first[..90] + "…" : first;

    /// <summary>Every curl command of the ```bash blocks of a Markdown file; one without its status comment is an error.</summary>
    public static List<CurlExample> FromMarkdown(string markdown, string source, Func<string, string> rewrite)
    {
        var examples = new List<CurlExample>();
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimEnd() != "```bash") continue;
            var end = Array.FindIndex(lines, i + 1, l => l.TrimEnd() == "```");
            foreach (var command in ShellCommands.Split(string.Join('\n', lines[(i + 1)..end]), i + 2))
            {
                if (!command.Text.StartsWith("curl ", StringComparison.Ordinal)) continue;
                var note = Annotation().Match(command.Comment ?? "");
                if (!note.Success)
                    throw new FormatException($"{source}:{command.Line}: a curl needs its expected status in a comment on its last line, e.g. '# → 200'");
                var captures = CaptureSpec().Matches(note.Groups[2].Value).Select(m => (m.Groups[1].Value, m.Groups[2].Value.TrimEnd(',', ';', ')'))).ToList();
                examples.Add(new CurlExample(source, command.Line, int.Parse(note.Groups[1].Value), command.Text, captures, rewrite,
                    note.Groups[2].Value.Contains("may be empty", StringComparison.Ordinal)));
            }
            i = end;
        }
        return examples;
    }

    public override HttpRequestMessage Build(RunContext context)
    {
        var words = ShellCommands.Words(Command, context.Variable);
        string? method = null, url = null;
        var headers = new List<(string, string)>();
        var data = new List<byte[]>();
        for (var i = 1; i < words.Count; i++)
        {
            var option = words[i];
            string Value() => ++i < words.Count ? words[i] : throw new FormatException($"{option} needs a value: {Command}");
            switch (option)
            {
                case "-X" or "--request": method = Value(); break;
                case "-H" or "--header":
                    var header = Value();
                    var colon = header.IndexOf(':');
                    if (colon <= 0) throw new FormatException($"a header is 'Name: value', got '{header}'");
                    headers.Add((header[..colon].Trim(), header[(colon + 1)..].Trim()));
                    break;
                case "-d" or "--data":
                    var text = Value();
                    data.Add(text.StartsWith('@') ? File.ReadAllBytes(context.DataFile(text[1..])).Where(b => b is not (10 or 13)).ToArray() : Utf8(Rewrite(text)));
                    break;
                case "--data-binary":
                    var binary = Value();
                    data.Add(binary.StartsWith('@') ? File.ReadAllBytes(context.DataFile(binary[1..])) : Utf8(Rewrite(binary)));
                    break;
                case "-o" or "--output": Value(); break;
                default:
                    if (option.StartsWith('-')) throw new NotSupportedException($"curl option {option} is not supported (CurlExample lists the supported forms): {Command}");
                    if (url is not null) throw new NotSupportedException($"one URL per curl: {Command}");
                    url = Rewrite(option);
                    break;
            }
        }
        if (url is null) throw new FormatException($"no URL: {Command}");
        // curl joins several -d values with '&'.
        var body = data.Count == 0 ? null : data.Aggregate<byte[]>((a, b) => [.. a, (byte)'&', .. b]);
        if (body is not null && !headers.Any(h => h.Item1.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
            headers.Add(("Content-Type", "application/x-www-form-urlencoded"));
        return Message(method ?? (body is null ? "GET" : "POST"), url, headers, body);
    }

    public override void Capture(RunContext context, string body)
    {
        if (Captures.Count == 0) return;
        using var json = JsonDocument.Parse(body);
        foreach (var (name, path) in Captures) context.Variables[name] = Select(json.RootElement, path);
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;

namespace SpendOptimizer.Api.Tests.Readme;

/// <summary>
/// A request of a .http file (the format Visual Studio, Rider and VS Code's REST Client read): <c>###</c> starts it,
/// comment lines <c># expect NNN</c> (required) and <c># @name x</c> precede <c>METHOD URL</c>, header lines follow, then a
/// blank line and the body (<c># expect 200 (may be empty)</c> for a list that may hold no rows on the demo), or <c>&lt; path</c> for a body from a file relative to the .http file. <c>@name = value</c>
/// lines set file variables; <c>{{name}}</c> uses one, <c>{{x.response.body.$.path}}</c> a value of request x's JSON answer.
/// </summary>
public sealed partial record HttpFileRequest(string Source, int Line, int ExpectedStatus, string? Name, string Method, string Url,
    IReadOnlyList<(string Name, string Value)> Headers, string? Body, string? BodyFile, bool MayBeEmpty) : DocumentedRequest(Source, Line, ExpectedStatus, MayBeEmpty)
{
    [GeneratedRegex(@"^@([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")]
    private static partial Regex VariableLine();

    [GeneratedRegex(@"^(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)\s+(\S+)(\s+HTTP/[\d.]+)?$")]
    private static partial Regex RequestLine();

    [GeneratedRegex(@"\{\{\s*([^}\s]+)\s*\}\}")]
    private static partial Regex Reference();

    public override string Label => $"{Method} {Url}";

    /// <summary>The file's variables and its requests, in order.</summary>
    public static (Dictionary<string, string> Variables, List<HttpFileRequest> Requests) Parse(string text, string source, string folderFromRoot)
    {
        var variables = new Dictionary<string, string>();
        var requests = new List<HttpFileRequest>();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var i = 0;
        void ReadVariables()
        {
            for (; i < lines.Length && !lines[i].StartsWith("###", StringComparison.Ordinal); i++)
                if (VariableLine().Match(lines[i].Trim()) is { Success: true } v) variables[v.Groups[1].Value] = v.Groups[2].Value.Trim();
                else if (lines[i].Trim() is { Length: > 0 } other && !IsComment(other))
                    throw new FormatException($"{source}:{i + 1}: outside a request only comments and @variables, got '{other}'");
        }
        ReadVariables();
        while (i < lines.Length)
        {
            i++; // past ###
            int? expect = null;
            var mayBeEmpty = false;
            string? name = null;
            for (; i < lines.Length && (lines[i].Trim().Length == 0 || IsComment(lines[i].Trim())); i++)
            {
                var comment = lines[i].Trim().TrimStart('#', '/').Trim();
                if (Regex.Match(comment, @"^expect\s+(\d{3})\b(.*)$") is { Success: true } e)
                    (expect, mayBeEmpty) = (int.Parse(e.Groups[1].Value), e.Groups[2].Value.Contains("may be empty", StringComparison.Ordinal));
                else if (Regex.Match(comment, @"^@name\s+(\w+)$") is { Success: true } n) name = n.Groups[1].Value;
            }
            var request = i < lines.Length ? RequestLine().Match(lines[i].Trim()) : Match.Empty;
            if (!request.Success) throw new FormatException($"{source}:{i + 1}: expected METHOD URL after the request's comments");
            if (expect is null) throw new FormatException($"{source}:{i + 1}: the request needs '# expect NNN' before it");
            var line = i + 1;
            var headers = new List<(string, string)>();
            for (i++; i < lines.Length && lines[i].Trim().Length > 0 && !lines[i].StartsWith("###", StringComparison.Ordinal); i++)
            {
                var colon = lines[i].IndexOf(':');
                if (colon <= 0) throw new FormatException($"{source}:{i + 1}: a header is 'Name: value'");
                headers.Add((lines[i][..colon].Trim(), lines[i][(colon + 1)..].Trim()));
            }
            var body = new List<string>();
            for (; i < lines.Length && !lines[i].StartsWith("###", StringComparison.Ordinal); i++) body.Add(lines[i]);
            var content = string.Join('\n', body).Trim('\n', ' ');
            string? file = null;
            if (content.StartsWith("< ", StringComparison.Ordinal))
            {
                file = Path.GetRelativePath(".", Path.Combine(folderFromRoot, content[2..].Trim())).Replace('\\', '/');
                content = "";
            }
            requests.Add(new HttpFileRequest(source, line, expect.Value, name, request.Groups[1].Value, request.Groups[2].Value, headers,
                content.Length > 0 ? content + "\n" : null, file, mayBeEmpty));
        }
        return (variables, requests);
    }

    private static bool IsComment(string line) => line.StartsWith('#') || line.StartsWith("//", StringComparison.Ordinal);

    public override HttpRequestMessage Build(RunContext context)
    {
        var body = BodyFile is not null ? File.ReadAllBytes(context.DataFile(BodyFile)) : Body is null ? null : Utf8(Resolve(Body, context));
        return Message(Method, Resolve(Url, context), Headers.Select(h => (h.Name, Resolve(h.Value, context))), body);
    }

    public override void Capture(RunContext context, string body)
    {
        if (Name is null) return;
        try
        {
            using var json = JsonDocument.Parse(body);
            context.Answers[Name] = json.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Not JSON: nothing to refer to; a later {{name.response…}} then fails naming it.
        }
    }

    /// <summary>Replaces every {{…}}: a variable (whose value may hold references itself) or a named answer's value.</summary>
    public static string Resolve(string text, RunContext context, int depth = 0) =>
        depth > 10 ? throw new FormatException($"variables refer to each other in a loop: {text}")
        : Reference().Replace(text, m =>
        {
            var reference = m.Groups[1].Value;
            if (Regex.Match(reference, @"^(\w+)\.response\.body\.(\$.*)$") is { Success: true } answer)
                return context.Answers.TryGetValue(answer.Groups[1].Value, out var json)
                    ? Select(json, answer.Groups[2].Value)
                    : throw new KeyNotFoundException($"no answer of a request named '{answer.Groups[1].Value}' yet");
            return Resolve(context.Variable(reference), context, depth + 1);
        });
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SpendOptimizer.Api.Tests.Readme;

/// <summary>What earlier requests of a document left for later ones: variables and named JSON answers.</summary>
public sealed class RunContext(IReadOnlyDictionary<string, string> variables, Func<string, string> dataFile)
{
    public Dictionary<string, string> Variables { get; } = new(variables);
    public Dictionary<string, JsonElement> Answers { get; } = [];

    /// <summary>A data file named relative to the repository root (e.g. .data/demo/performance.csv), where the test keeps it.</summary>
    public string DataFile(string repositoryRelative) => dataFile(repositoryRelative);

    public string Variable(string name) =>
        Variables.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"'{name}' is not set (known: {string.Join(", ", Variables.Keys)})");
}

/// <summary>A request written in the documentation with the status it is documented to answer.</summary>
/// <param name="MayBeEmpty">A list answer may hold no rows; otherwise a CSV with only its header, or empty `items`, fails.</param>
public abstract record DocumentedRequest(string Source, int Line, int ExpectedStatus, bool MayBeEmpty)
{
    public abstract string Label { get; }

    public abstract HttpRequestMessage Build(RunContext context);

    /// <summary>Keeps what later requests refer to from this one's answer.</summary>
    public abstract void Capture(RunContext context, string body);

    public sealed override string ToString() => $"{Source}:{Line} {Label}";

    protected static HttpRequestMessage Message(string method, string url, IEnumerable<(string Name, string Value)> headers, byte[]? body)
    {
        var message = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null) message.Content = new ByteArrayContent(body);
        foreach (var (name, value) in headers)
        {
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.Remove(name);
                if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
                else message.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else if (!message.Headers.TryAddWithoutValidation(name, value)) throw new FormatException($"header {name} cannot be sent");
        }
        return message;
    }

    protected static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>A value of a JSON answer by a path of `$`, then `.name` and `[index]` steps.</summary>
    public static string Select(JsonElement json, string path)
    {
        if (!path.StartsWith('$')) throw new FormatException($"a JSON path starts with $: {path}");
        var steps = System.Text.RegularExpressions.Regex.Matches(path[1..], @"\G(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\])");
        if (steps.Sum(m => m.Length) != path.Length - 1) throw new FormatException($"unsupported JSON path {path} (only $.name and [index] steps)");
        var node = json;
        foreach (System.Text.RegularExpressions.Match step in steps)
            node = step.Groups[1].Success ? node.GetProperty(step.Groups[1].Value) : node[int.Parse(step.Groups[2].Value)];
        return node.ValueKind == JsonValueKind.String ? node.GetString()! : node.GetRawText();
    }
}

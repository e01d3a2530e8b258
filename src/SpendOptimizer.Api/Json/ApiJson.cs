using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpendOptimizer.Api.Json;

/// <summary>The one JSON setting of the API: the wire, the OpenAPI document and stored JSON all use it.</summary>
public static class ApiJson
{
    /// <summary>The API's own JSON settings, for values serialised outside a response (stored requests).</summary>
    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(o);
        return o;
    }

    /// <summary>snake_case names, the same as the CSV columns, enums as lowercase strings, strings without NUL.</summary>
    public static void Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        // The exact converters come first, so they read; the framework's enum converter stays for the OpenAPI document.
        o.Converters.Add(new StoredTextConverter());
        o.Converters.Add(new FiniteNumberConverter());
        o.Converters.Add(new ExactEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
    }
}

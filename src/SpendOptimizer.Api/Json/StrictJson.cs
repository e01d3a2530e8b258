using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpendOptimizer.Api.Json;

/// <summary>
/// A JSON value that is well formed but not acceptable; the exception handler turns it into a 400 naming the
/// property (its JSON path) and this reason.
/// </summary>
public sealed class JsonFieldException(string reason) : JsonException(reason)
{
    public string Reason { get; } = reason;
}

/// <summary>
/// Every string of a JSON command body: a NUL character cannot be stored in PostgreSQL text and is never meant, and an
/// escaped lone surrogate (\ud800) is not text, so either is refused where it is read rather than where it is stored.
/// </summary>
public sealed class StoredTextConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonFieldException("must be a string");
        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new JsonFieldException("is not valid Unicode text (an unpaired surrogate escape)");
        }
        if (text.Contains('\0')) throw new JsonFieldException("contains a NUL character");
        return text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>
/// Enums are read only as one of their names, written snake_case (case aside). The framework's own converter also reads
/// numbers and comma-separated lists, so "read,ingest" or 3 would become Role 3, admin. Written as that converter does,
/// which also keeps the OpenAPI document describing enums as strings.
/// </summary>
public sealed class ExactEnumConverter(JsonNamingPolicy naming) : JsonConverterFactory
{
    private readonly JsonStringEnumConverter _names = new(naming, allowIntegerValues: false);

    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Exact<>).MakeGenericType(typeToConvert), naming, _names.CreateConverter(typeToConvert, options))!;

    private sealed class Exact<TEnum>(JsonNamingPolicy naming, JsonConverter inner) : JsonConverter<TEnum> where TEnum : struct, Enum
    {
        private readonly Dictionary<string, TEnum> _byName = Enum.GetValues<TEnum>()
            .ToDictionary(v => naming.ConvertName(v.ToString()), v => v, StringComparer.OrdinalIgnoreCase);
        private readonly JsonConverter<TEnum> _writer = (JsonConverter<TEnum>)inner;

        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.GetString() is { } name && _byName.TryGetValue(name, out var value))
                return value;
            throw new JsonFieldException("must be one of " + string.Join(", ", _byName.Keys));
        }

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => _writer.Write(writer, value, options);

        public override TEnum ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Read(ref reader, typeToConvert, options);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            _writer.WriteAsPropertyName(writer, value, options);
    }
}

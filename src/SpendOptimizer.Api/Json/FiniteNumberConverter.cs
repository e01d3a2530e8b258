using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpendOptimizer.Api.Json;

/// <summary>
/// Numbers on the wire are finite. A figure that overflows or cannot be computed from the data (a ratio over a
/// vanishing divisor, a variance that is not defined) is written as null rather than failing the whole answer
/// half-way through; reading takes what the framework takes (a number, or a numeric string) and refuses
/// non-finite values.
/// </summary>
public sealed class FiniteNumberConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && (options.NumberHandling & JsonNumberHandling.AllowReadingFromString) != 0)
        {
            var text = reader.GetString();
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed)) return parsed;
            throw new JsonException("is not a finite number");
        }
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value) || !double.IsFinite(value))
            throw new JsonException("is not a finite number");
        return value;
    }

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteNullValue();
    }
}

using System.Globalization;
using System.Text.Json;
using SpendOptimizer.Core.Attribution;

namespace SpendOptimizer.Cli;

/// <summary>
/// The attribution models of models/attribution.json — the file the API serves, copied next to the command — with
/// their parameter defaults. A parameter named x_y is set on the command line by --x-y (collapse_repeats by --collapse).
/// </summary>
public sealed class AttributionCatalogue
{
    public static string DefaultFile => Path.Combine(AppContext.BaseDirectory, "models", "attribution.json");

    private readonly Dictionary<string, List<Parameter>> _models;

    private sealed record Parameter(string Name, string Type, JsonElement Default, IReadOnlyList<string>? Choices);

    private AttributionCatalogue(Dictionary<string, List<Parameter>> models) => _models = models;

    public IEnumerable<string> Models => _models.Keys;

    public static AttributionCatalogue Load(string file)
    {
        if (!File.Exists(file)) throw new UsageException($"the model catalogue {file} is missing");
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var models = new Dictionary<string, List<Parameter>>(StringComparer.Ordinal);
        foreach (var m in doc.RootElement.EnumerateArray())
        {
            if (m.GetProperty("stage").GetString() != "attribution") continue;
            models[m.GetProperty("name").GetString()!] = m.GetProperty("parameters").EnumerateArray()
                .Select(p => new Parameter(p.GetProperty("name").GetString()!, p.GetProperty("type").GetString()!, p.GetProperty("default").Clone(),
                    p.TryGetProperty("choices", out var c) ? c.EnumerateArray().Select(x => x.GetString()!).ToList() : null))
                .ToList();
        }
        return new AttributionCatalogue(models);
    }

    public static string OptionName(string parameter) => parameter == "collapse_repeats" ? "collapse" : parameter.Replace('_', '-');

    /// <summary>The model's typed parameters: catalogue defaults, overridden by the command line's options.</summary>
    public AttributionParameters Parameters(AttributionModel model, Arguments args)
    {
        var parameters = _models.GetValueOrDefault(model.Name) ?? throw new UsageException($"model '{model.Name}' is not in the catalogue");
        try
        {
            return model.Parameters(new Values(parameters, args));
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private sealed class Values(List<Parameter> parameters, Arguments args) : IParameterValues
    {
        private Parameter Find(string name) => parameters.FirstOrDefault(p => p.Name == name)
            ?? throw new KeyNotFoundException($"the catalogue has no parameter '{name}'");

        public double Number(string name)
        {
            var p = Find(name);
            var option = OptionName(name);
            return args.Option(option) is not { } text ? p.Default.GetDouble()
                : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d
                : throw new UsageException($"--{option} must be a number, got '{text}'");
        }

        public string Choice(string name)
        {
            var p = Find(name);
            var option = OptionName(name);
            return args.Option(option) is not { } text ? p.Default.GetString()!
                : p.Choices?.Contains(text) == true ? text
                : throw new UsageException($"--{option} must be one of {string.Join(", ", p.Choices ?? [])}, got '{text}'");
        }
    }
}

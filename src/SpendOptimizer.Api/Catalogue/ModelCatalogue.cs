using System.Globalization;
using System.Text.Json;

namespace SpendOptimizer.Api.Catalogue;

/// <summary>
/// The models in models/*.json, validated when the service starts (a bad file stops the start with the file,
/// model and parameter named). Requests override defaults by parameter name; overrides are checked here too.
/// </summary>
public sealed class ModelCatalogue
{
    private static readonly string[] Stages = ["attribution", "incrementality", "response", "allocation", "forecasting"];
    private static readonly string[] Types = ["number", "integer", "boolean", "choice"];

    private readonly Dictionary<string, ModelDefinition> _models;

    public IReadOnlyList<ModelDefinition> Models { get; }

    public ModelCatalogue(IEnumerable<ModelDefinition> models)
    {
        Models = models.OrderBy(m => Array.IndexOf(Stages, m.Stage)).ThenBy(m => m.Name, StringComparer.Ordinal).ToList();
        _models = Models.ToDictionary(m => m.Name, StringComparer.Ordinal);
    }

    public ModelDefinition? Find(string name) => _models.GetValueOrDefault(name);

    /// <summary>A model the service cannot run without; the start-up check makes sure it is there.</summary>
    public ModelDefinition Get(string name) => _models.TryGetValue(name, out var model) ? model
        : throw new InvalidOperationException($"Model catalogue: model '{name}' is not defined.");

    public static ModelCatalogue Load(string directory, JsonSerializerOptions json)
    {
        if (!Directory.Exists(directory)) throw new InvalidOperationException($"Model catalogue folder '{directory}' does not exist.");
        var models = new List<ModelDefinition>();
        foreach (var file in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            ModelDefinition[] defs;
            try
            {
                defs = JsonSerializer.Deserialize<ModelDefinition[]>(File.ReadAllText(file), json)
                       ?? throw new JsonException("the file is empty");
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException($"Model catalogue {Path.GetFileName(file)}: {e.Message}", e);
            }
            foreach (var def in defs)
                if (Validate(def) is { } problem)
                    throw new InvalidOperationException($"Model catalogue {Path.GetFileName(file)}, model '{def.Name}': {problem}");
            models.AddRange(defs);
        }
        var duplicate = models.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"Model catalogue: model '{duplicate.Key}' is defined twice.");
        return new ModelCatalogue(models);
    }

    /// <summary>Why a definition is unusable, or null.</summary>
    public static string? Validate(ModelDefinition def)
    {
        if (string.IsNullOrWhiteSpace(def.Name)) return "has no name";
        if (!Stages.Contains(def.Stage)) return $"stage '{def.Stage}' is not one of {string.Join(", ", Stages)}";
        if (def.Parameters is null) return "has no parameters list";
        foreach (var p in def.Parameters)
        {
            if (!Types.Contains(p.Type)) return $"parameter '{p.Name}': type '{p.Type}' is not one of {string.Join(", ", Types)}";
            if (p.Min > p.Max) return $"parameter '{p.Name}': min is above max";
            if (p.Type == "choice" && (p.Choices is null || p.Choices.Count == 0)) return $"parameter '{p.Name}': a choice needs choices";
            if (Check(p, p.Default) is { } bad) return $"parameter '{p.Name}': default {bad}";
            if (p.Prior is { } prior && (prior.Sd <= 0 || prior.Distribution is not ("normal" or "lognormal")))
                return $"parameter '{p.Name}': prior must be normal or lognormal with sd > 0";
        }
        if (def.Parameters.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1) is { } twice) return $"parameter '{twice.Key}' appears twice";
        foreach (var sum in def.Sums ?? [])
            if (sum.Parameters.FirstOrDefault(n => def.Parameters.FirstOrDefault(p => p.Name == n) is not { Type: "number" or "integer" }) is { } bad)
                return $"sum names '{bad}', which is not a number parameter of the model";
            else if (Exceeds(sum, def.Parameters.ToDictionary(p => p.Name, p => p.Default)) is { } over)
                return $"the defaults break their own limit: {over}";
        return null;
    }

    /// <summary>
    /// The model's parameters with the request's overrides applied. Errors name the parameter and the reason;
    /// an unknown name is an error so a typo never silently falls back to the default.
    /// </summary>
    public ResolvedParameters Resolve(ModelDefinition model, IReadOnlyDictionary<string, JsonElement>? overrides)
    {
        var values = model.Parameters.ToDictionary(p => p.Name, p => p.Default, StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>();
        foreach (var (name, value) in overrides ?? new Dictionary<string, JsonElement>())
        {
            var p = model.Parameters.FirstOrDefault(x => x.Name == name);
            if (p is null)
                errors[$"parameters.{name}"] = [$"model '{model.Name}' has no parameter '{name}'; it has {string.Join(", ", model.Parameters.Select(x => x.Name))}"];
            else if (Check(p, value) is { } bad)
                errors[$"parameters.{name}"] = [bad];
            else values[name] = value;
        }
        if (errors.Count == 0)
            foreach (var sum in model.Sums ?? [])
                if (Exceeds(sum, values) is { } over)
                    foreach (var name in sum.Parameters)
                        errors[$"parameters.{name}"] = [over];
        return new ResolvedParameters(model.Name, values, errors);
    }

    private static string? Exceeds(ParameterSum sum, IReadOnlyDictionary<string, JsonElement> values)
    {
        var total = sum.Parameters.Sum(n => values[n].GetDouble());
        return total <= sum.Max ? null
            : $"{string.Join(" + ", sum.Parameters)} must be at most {sum.Max.ToString(CultureInfo.InvariantCulture)}; " +
              $"these values add up to {total.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>Compared as JSON text, so a string no .NET string can hold (a lone surrogate escape) is simply not a choice.</summary>
    private static bool Is(JsonElement v, string choice)
    {
        try
        {
            return v.ValueEquals(choice);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string? Check(ModelParameter p, JsonElement v)
    {
        switch (p.Type)
        {
            case "boolean":
                return v.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : "must be true or false";
            case "choice":
                return v.ValueKind == JsonValueKind.String && p.Choices!.Any(c => Is(v, c)) ? null
                    : $"must be one of {string.Join(", ", p.Choices!)}";
            default:
                if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || !double.IsFinite(d)) return "must be a finite number";
                if (p.Type == "integer" && d != Math.Floor(d)) return "must be a whole number";
                if (d < p.Min) return $"must be ≥ {p.Min.Value.ToString(CultureInfo.InvariantCulture)}";
                if (d > p.Max) return $"must be ≤ {p.Max.Value.ToString(CultureInfo.InvariantCulture)}";
                return null;
        }
    }
}

/// <summary>A model's parameter values after overrides, with any override errors by parameter.</summary>
public sealed record ResolvedParameters(string Model, IReadOnlyDictionary<string, JsonElement> Values, IReadOnlyDictionary<string, string[]> Errors)
{
    public double Number(string name) => Values[name].GetDouble();
    public int Integer(string name) => (int)Values[name].GetDouble();
    public bool Flag(string name) => Values[name].GetBoolean();
    public string Choice(string name) => Values[name].GetString()!;
}

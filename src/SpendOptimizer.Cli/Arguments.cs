namespace SpendOptimizer.Cli;

/// <summary>Positional arguments and --name value options.</summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<string> Positional { get; }

    public Arguments(IEnumerable<string> args)
    {
        var positional = new List<string>();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            if (e.Current.StartsWith("--", StringComparison.Ordinal))
            {
                var name = e.Current[2..];
                var eq = name.IndexOf('=');
                if (eq >= 0) _options[name[..eq]] = name[(eq + 1)..];
                else _options[name] = e.MoveNext() ? e.Current : throw new UsageException($"--{name} needs a value");
            }
            else positional.Add(e.Current);
        }
        Positional = positional;
    }

    public string? Option(string name) => _options.GetValueOrDefault(name);

    public int? IntOption(string name) => Option(name) is { } v
        ? int.TryParse(v, out var i) ? i : throw new UsageException($"--{name} must be a whole number, got '{v}'")
        : null;

    public double? DoubleOption(string name) => Option(name) is { } v
        ? double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : throw new UsageException($"--{name} must be a number, got '{v}'")
        : null;
}

public sealed class UsageException(string message) : Exception(message);

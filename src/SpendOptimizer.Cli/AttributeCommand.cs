using System.Diagnostics;
using SpendOptimizer.Core;
using SpendOptimizer.Core.Attribution;
using static SpendOptimizer.Cli.CsvOut;

namespace SpendOptimizer.Cli;

/// <summary>
/// spendopt attribute PATHS.csv [--model markov] [--order 1] [--collapse states|channels] [--half-life 2] [--out credits.csv] [--progress auto|always|never]
/// Any attribution model of models/attribution.json, or heuristics (all five heuristic models), run by the same Core
/// registry as the API on a ChannelAttribution path file; defaults come from the catalogue.
/// </summary>
public static class AttributeCommand
{
    public const string Heuristics = "heuristics";

    public static int Run(Arguments args)
    {
        var file = args.Positional.FirstOrDefault() ?? throw new UsageException("attribute needs a path file");
        var name = args.Option("model") ?? "markov";
        var catalogue = AttributionCatalogue.Load(args.Option("catalogue") ?? AttributionCatalogue.DefaultFile);
        var models = Models(name, catalogue);
        var parameters = models.Select(m => catalogue.Parameters(m, args)).ToList();

        var clock = Stopwatch.StartNew();
        var paths = ReadProgress.Run(args.Option("progress"), file, Console.Error, report => PathFileReader.Read(file, report));
        var readTime = clock.Elapsed;
        List<AttributionResult> results;
        try
        {
            results = models.Select((m, i) => m.Run(paths, parameters[i], AttributionLimits.None)).ToList();
        }
        catch (Exception e) when (e is ArgumentException or TooLargeException)
        {
            throw new UsageException(e.Message);
        }

        var markov = results[0].Markov is not null;
        var output = args.Option("out");
        var rows = paths.Channels.Select(channel => (channel, results.Select(r => r[channel]!).ToList())).ToList();
        var header = results.Count == 1
            ? "channel_name,total_conversions,total_conversion_value" + (markov ? ",removal_effects_conversion,removal_effects_conversion_value" : "")
            : "channel_name," + string.Join(',', results.Select(r => $"{r.Model}_conversions,{r.Model}_value"));
        IEnumerable<string> Fields((string Channel, List<ChannelCredit> Credits) row) =>
        [
            row.Channel,
            .. row.Credits.SelectMany(c => new[] { N(c.Conversions), N(c.Value) }),
            .. markov ? new[] { N(row.Credits[0].RemovalEffect), N(row.Credits[0].ValueRemovalEffect) } : [],
        ];
        if (output is null)
        {
            Console.WriteLine(header);
            foreach (var row in rows) Console.WriteLine(string.Join(',', Fields(row).Select(Quote)));
        }
        else Write(output, header, rows, Fields);

        var journeys = paths.TotalConversions + paths.TotalNulls;
        Console.Error.WriteLine($"{journeys:N0} journeys, {paths.Count:N0} distinct paths, {paths.Channels.Count} channels; " +
                                $"read {readTime.TotalSeconds:F2} s, model {(clock.Elapsed - readTime).TotalSeconds:F2} s" +
                                (results[0].Markov is { } m
                                    ? $"; order {m.Order}, collapse {m.Collapse.Name()}, P(conversion) {m.ConversionProbability:G6}, residual {m.Residual:G2} after {m.Iterations} sweeps"
                                    : ""));
        return 0;
    }

    private static IReadOnlyList<AttributionModel> Models(string name, AttributionCatalogue catalogue) =>
        name == Heuristics ? AttributionModels.Heuristics
        : catalogue.Models.Contains(name) && AttributionModels.Find(name) is { } found ? [found]
        : throw new UsageException($"unknown model '{name}'; use one of {string.Join(", ", catalogue.Models)} or {Heuristics}");
}

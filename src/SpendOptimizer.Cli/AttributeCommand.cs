using System.Diagnostics;
using SpendOptimizer.Core.Attribution;
using static SpendOptimizer.Cli.CsvOut;

namespace SpendOptimizer.Cli;

/// <summary>
/// spendopt attribute PATHS.csv --model markov|first_touch|last_touch|linear|time_decay|position_based|shapley|heuristics
///   [--order 1] [--collapse true] [--half-life 2] [--out credits.csv]
/// The same Core models as the API, on a ChannelAttribution path file.
/// </summary>
public static class AttributeCommand
{
    public static int Run(Arguments args)
    {
        var file = args.Positional.FirstOrDefault() ?? throw new UsageException("attribute needs a path file");
        var model = args.Option("model") ?? "markov";
        var clock = Stopwatch.StartNew();
        var paths = PathFileReader.Read(file);
        var readTime = clock.Elapsed;

        var results = model switch
        {
            "markov" => [MarkovAttribution.Run(paths, args.IntOption("order") ?? 1, (args.Option("collapse") ?? "true") == "true", includeTransitions: false)],
            "shapley" => [ShapleyAttribution.Run(paths)],
            "heuristics" => Enum.GetValues<HeuristicModel>().Select(m => Heuristic(paths, m, args)).ToList(),
            _ => new List<AttributionResult> { Heuristic(paths, ParseHeuristic(model), args) },
        };

        var output = args.Option("out");
        var rows = paths.Channels.Select(channel => (channel, results.Select(r => r[channel]!).ToList())).ToList();
        var header = results.Count == 1
            ? "channel_name,total_conversions,total_conversion_value" + (model == "markov" ? ",removal_effects_conversion,removal_effects_conversion_value" : "")
            : "channel_name," + string.Join(',', results.Select(r => $"{r.Model}_conversions,{r.Model}_value"));
        IEnumerable<string> Fields((string Channel, List<ChannelCredit> Credits) row) =>
        [
            row.Channel,
            .. row.Credits.SelectMany(c => new[] { N(c.Conversions), N(c.Value) }),
            .. model == "markov" ? new[] { N(row.Credits[0].RemovalEffect), N(row.Credits[0].ValueRemovalEffect) } : [],
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
                                (results[0].Markov is { } m ? $"; P(conversion) {m.ConversionProbability:G6}, residual {m.Residual:G2} after {m.Iterations} sweeps" : ""));
        return 0;
    }

    private static AttributionResult Heuristic(PathSet paths, HeuristicModel model, Arguments args) =>
        HeuristicAttribution.Run(paths, model, halfLife: args.DoubleOption("half-life") ?? 2);

    private static HeuristicModel ParseHeuristic(string model) =>
        Enum.GetValues<HeuristicModel>().FirstOrDefault(m => HeuristicAttribution.Name(m) == model, (HeuristicModel)(-1)) is var m && Enum.IsDefined(m)
            ? m
            : throw new UsageException($"unknown model '{model}'");
}

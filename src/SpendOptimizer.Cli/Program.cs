using SpendOptimizer.Cli;

const string usage = """
    spendopt: SpendOptimizer's models on files, without a server.

      spendopt attribute PATHS.csv [--model markov] [--order 1] [--collapse states|channels] [--half-life 2] [--out credits.csv]
          Attribution on a ChannelAttribution path file (path,total_conversions,total_conversion_value,total_null).
          Models: those of models/attribution.json (markov, shapley, shapley_count, data_driven, first_touch,
          last_touch, linear, time_decay, position_based), or heuristics (all five heuristic models). Defaults come
          from that catalogue; a parameter x_y is set with --x-y (collapse_repeats with --collapse).
          --collapse states (default, ChannelAttribution's): order-k states from the whole path, identical
          consecutive states merged; channels: repeated channels merged first (a > a > b read as a > b).
          --catalogue FILE reads another catalogue file.

      spendopt demo-data --out DIR [--family synthetic|market] [--seed 7] [--weeks 104] [--test-all true]
          Writes a seeded demo advertiser (performance, lift tests, economics, paths) as CSV, and today's weekly plan
          per channel as current.json. --family market: the second world family (8 channels, non-Hill curves, spend
          wandering around the plan, gaps, biased tests; paths.csv only when the world has journeys).
          --test-all: the untested channels get lift tests too.
    """;

try
{
    var arguments = new Arguments(args.Skip(1));
    return args.FirstOrDefault() switch
    {
        "attribute" => AttributeCommand.Run(arguments),
        "demo-data" => DemoDataCommand.Run(arguments),
        _ => Usage(),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine(e.Message);
    return Usage();
}

int Usage()
{
    Console.Error.WriteLine(usage);
    return 2;
}

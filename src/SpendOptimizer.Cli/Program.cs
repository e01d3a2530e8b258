using SpendOptimizer.Cli;

const string usage = """
    spendopt: SpendOptimizer's models on files, without a server.

      spendopt attribute PATHS.csv [--model markov] [--order 1] [--collapse true] [--half-life 2] [--out credits.csv]
          Attribution on a ChannelAttribution path file (path,total_conversions,total_conversion_value,total_null).
          Models: markov, shapley, first_touch, last_touch, linear, time_decay, position_based, heuristics (all five).

      spendopt demo-data --out DIR [--seed 7] [--weeks 104] [--test-all true]
          Writes a seeded demo advertiser (performance, lift tests, economics, paths) as CSV.
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

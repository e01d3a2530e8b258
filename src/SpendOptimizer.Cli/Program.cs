using SpendOptimizer.Cli;

const string usage = """
    spendopt: SpendOptimizer's models on files, without a server.

      spendopt demo-data --out DIR [--seed 7] [--weeks 104]
          Writes a seeded demo advertiser (performance, lift tests, economics, paths) as CSV.
    """;

try
{
    var arguments = new Arguments(args.Skip(1));
    return args.FirstOrDefault() switch
    {
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

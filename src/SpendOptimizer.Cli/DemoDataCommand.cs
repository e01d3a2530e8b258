using SpendOptimizer.Core.Simulation;
using static SpendOptimizer.Cli.CsvOut;

namespace SpendOptimizer.Cli;

/// <summary>
/// spendopt demo-data --out DIR [--seed N] [--weeks N] [--test-all true]: a seeded advertiser as CSV files ready to load;
/// --test-all gives its one untested channel a lift test too, the rest unchanged.
/// </summary>
public static class DemoDataCommand
{
    public static int Run(Arguments args)
    {
        var dir = args.Option("out") ?? "demo";
        var seed = args.IntOption("seed") ?? 7;
        var weeks = args.IntOption("weeks") ?? 104;
        Directory.CreateDirectory(dir);
        var world = SyntheticWorld.Generate(seed, weeks, testAll: args.Option("test-all") is "true");

        Write(Path.Combine(dir, "performance.csv"), "date,channel,spend,impressions,clicks,conversions,revenue,new_customers", world.Performance,
            p => [D(p.Date), p.Channel, N(p.Spend), p.Impressions.ToString(), p.Clicks.ToString(), N(p.Conversions), N(p.Revenue), N(p.NewCustomers)]);
        Write(Path.Combine(dir, "lift-tests.csv"), "id,channel,kind,start,end,incremental_conversions,stderr,attributed_conversions,spend", world.LiftTests,
            t => [t.Id, t.Channel, t.Kind.ToString().ToLowerInvariant(), D(t.Start), D(t.End), N(t.IncrementalConversions),
                  N(t.Uncertainty.EffectiveStandardError), N(t.AttributedConversions), N(t.Spend)]);
        Write(Path.Combine(dir, "economics.csv"), "channel,arpa_monthly,gross_margin,monthly_churn,annual_discount_rate", world.Economics,
            e => [e.Channel, N(e.ArpaMonthly), N(e.GrossMargin), N(e.MonthlyChurn), N(e.AnnualDiscountRate)]);
        Write(Path.Combine(dir, "paths.csv"), "path,total_conversions,total_conversion_value,total_null", world.Paths,
            p => [p.Path.ToString(), N(p.TotalConversions), N(p.TotalConversionValue), N(p.TotalNull)]);

        Console.WriteLine($"Wrote {world.Performance.Count} performance rows, {world.LiftTests.Count} lift tests, " +
                          $"{world.Economics.Count} economics rows and {world.Paths.Count} paths to {dir}/ (seed {seed}).");
        return 0;
    }
}

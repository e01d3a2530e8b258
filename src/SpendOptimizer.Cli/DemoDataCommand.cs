using System.Text.Json;
using SpendOptimizer.Worlds;
using static SpendOptimizer.Cli.CsvOut;

namespace SpendOptimizer.Cli;

/// <summary>
/// spendopt demo-data --out DIR [--family synthetic|market] [--seed N] [--weeks N] [--test-all true] [--customers-per-channel N]: a seeded advertiser
/// as CSV files ready to load (customers.csv and orders.csv drawn from known BG/NBD and Gamma–Gamma parameters per channel,
/// see <see cref="DemoCustomers"/>), plus current.json (today's weekly plan per channel). The market family writes paths.csv
/// only when the world has journeys. --customers-per-channel (default 600) sizes the customer files, e.g. for load benchmarks. --test-all gives the untested channels (one in the synthetic family, three in the market family) lift tests too, the rest unchanged.
/// </summary>
public static class DemoDataCommand
{
    private const int CustomersPerChannel = 600;
    private const double DemoGrossMargin = 0.6;

    public static int Run(Arguments args)
    {
        var dir = args.Option("out") ?? "demo";
        var seed = args.IntOption("seed") ?? 7;
        var weeks = args.IntOption("weeks") ?? 104;
        var family = args.Option("family") ?? "synthetic";
        var perChannel = args.IntOption("customers-per-channel") ?? CustomersPerChannel;
        if (perChannel < 1) throw new UsageException($"--customers-per-channel must be at least 1, got {perChannel}");
        IScoredWorld world = family switch
        {
            "synthetic" => SyntheticWorld.Generate(seed, weeks, testAll: args.Option("test-all") is "true"),
            "market" when weeks < 60 => throw new UsageException("--weeks must be at least 60 for the market family"),
            "market" => MarketWorld.Generate(seed, weeks, testAll: args.Option("test-all") is "true"),
            _ => throw new UsageException($"--family must be synthetic or market, got '{family}'"),
        };
        Directory.CreateDirectory(dir);

        Write(Path.Combine(dir, "performance.csv"), "date,channel,spend,impressions,clicks,conversions,revenue,new_customers", world.Performance,
            p => [D(p.Date), p.Channel, N(p.Spend), p.Impressions.ToString(), p.Clicks.ToString(), N(p.Conversions), N(p.Revenue), N(p.NewCustomers)]);
        Write(Path.Combine(dir, "lift-tests.csv"), "id,channel,kind,start,end,incremental_conversions,stderr,attributed_conversions,spend", world.LiftTests,
            t => [t.Id, t.Channel, t.Kind.ToString().ToLowerInvariant(), D(t.Start), D(t.End), N(t.IncrementalConversions),
                  N(t.Uncertainty.EffectiveStandardError), N(t.AttributedConversions), N(t.Spend)]);
        Write(Path.Combine(dir, "economics.csv"), "channel,arpa_monthly,gross_margin,monthly_churn,annual_discount_rate", world.Economics,
            e => [e.Channel, N(e.ArpaMonthly), N(e.GrossMargin), N(e.MonthlyChurn), N(e.AnnualDiscountRate)]);
        var journeys = world is not MarketWorld { HasJourneys: false };
        var paths = Path.Combine(dir, "paths.csv");
        if (journeys)
            Write(paths, "path,total_conversions,total_conversion_value,total_null", world.Paths,
                p => [p.Path.ToString(), N(p.TotalConversions), N(p.TotalConversionValue), N(p.TotalNull)]);
        else if (File.Exists(paths)) File.Delete(paths); // a paths.csv left from another world would read as this one's journeys
        var channels = world.Performance.Select(p => p.Channel).Distinct().ToList();
        var first = world.Performance.Min(p => p.Date);
        var customers = DemoCustomers.Generate(seed, channels, first, world.Performance.Max(p => p.Date), perChannel);
        Write(Path.Combine(dir, "customers.csv"), "customer_id,acquired_at,acquisition_channel", customers,
            c => [c.Id, D(c.Acquired), c.Channel]);
        Write(Path.Combine(dir, "orders.csv"), "customer_id,ordered_at,revenue,gross_margin", customers.SelectMany(c => c.Orders.Select(o => (c.Id, o.Day, o.Revenue))),
            o => [o.Id, D(o.Day), N(o.Revenue), N(DemoGrossMargin)]);
        File.WriteAllText(Path.Combine(dir, "current.json"), JsonSerializer.Serialize(world.CurrentPlan, new JsonSerializerOptions { WriteIndented = true }) + "\n");

        Console.WriteLine($"Wrote {world.Performance.Count} performance rows, {world.LiftTests.Count} lift tests, {world.Economics.Count} economics rows, " +
                          (journeys ? $"{world.Paths.Count} paths" : "no paths (no journeys)") + $", {customers.Count} customers with {customers.Sum(c => c.Orders.Count)} orders"
                          + $" and today's plan to {dir}/ ({family} family, seed {seed}).");
        return 0;
    }
}

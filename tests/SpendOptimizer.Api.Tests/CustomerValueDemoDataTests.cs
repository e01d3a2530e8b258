using SpendOptimizer.Cli;

namespace SpendOptimizer.Api.Tests;

/// <summary>demo-data sizes its customer files by --customers-per-channel, the rest of the advertiser unchanged.</summary>
public sealed class CustomerValueDemoDataTests
{
    private static string[] Lines(DirectoryInfo dir, string file) => File.ReadAllLines(Path.Combine(dir.FullName, file));

    [Fact]
    public void Customers_per_channel_sizes_the_customer_files_only()
    {
        var small = Directory.CreateTempSubdirectory("spendopt-demo-");
        var usual = Directory.CreateTempSubdirectory("spendopt-demo-");
        try
        {
            Assert.Equal(0, DemoDataCommand.Run(new Arguments(["--out", small.FullName, "--customers-per-channel", "3"])));
            Assert.Equal(0, DemoDataCommand.Run(new Arguments(["--out", usual.FullName])));
            var channels = Lines(usual, "performance.csv").Skip(1).Select(l => l.Split(',')[1]).Distinct().ToList();

            var customers = Lines(small, "customers.csv").Skip(1).Select(l => l.Split(',')).ToList();
            Assert.Equal(3 * channels.Count, customers.Count);
            Assert.All(channels, c => Assert.Equal(3, customers.Count(f => f[2] == c)));
            Assert.Equal(600 * channels.Count, Lines(usual, "customers.csv").Length - 1);
            // Every order belongs to a listed customer, and each customer has its acquisition order.
            var ids = customers.Select(f => f[0]).ToHashSet();
            var buyers = Lines(small, "orders.csv").Skip(1).Select(l => l.Split(',')[0]).ToList();
            Assert.All(buyers, b => Assert.Contains(b, ids));
            Assert.Equal(ids.Count, buyers.Distinct().Count());
            Assert.Equal(Lines(usual, "performance.csv"), Lines(small, "performance.csv"));

            var bad = Assert.Throws<UsageException>(() => DemoDataCommand.Run(new Arguments(["--out", small.FullName, "--customers-per-channel", "0"])));
            Assert.Contains("--customers-per-channel must be at least 1", bad.Message);
        }
        finally
        {
            small.Delete(true);
            usual.Delete(true);
        }
    }
}

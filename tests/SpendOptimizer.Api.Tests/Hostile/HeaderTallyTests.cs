using SpendOptimizer.Api.Ingest;

namespace SpendOptimizer.Api.Tests.Hostile;

/// <summary>A header tallied piece by piece counts the same fields and named columns as the whole line split at once.</summary>
public sealed class HeaderTallyTests
{
    private static readonly TableSchema Schema = PerformanceUpload.Schema;
    private static readonly string[] Tokens = ["date", "channel", "spend", "Spend", " clicks ", "x", "", new string('d', 64), new string('e', 65), ",", ";", "\t", "|", ",,"];

    [Fact]
    public void AnyCutOfAnyHeaderGivesTheWholeLinesFieldsAndNames()
    {
        var random = new Random(7);
        for (var n = 0; n < 2000; n++)
        {
            var line = string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => Tokens[random.Next(Tokens.Length)]));
            foreach (var separator in new[] { ',', ';', '\t', '|' })
            {
                var fields = line.Split(separator);
                var named = fields.Where(f => f.Length is > 0 and <= 64).Select(f => Schema.IndexOf(f)).OfType<int>().ToHashSet();

                var tally = new HeaderTally(separator, Schema);
                var at = 0;
                while (at < line.Length)
                {
                    var piece = random.Next(1, line.Length - at + 1);
                    tally.Add(line.AsSpan(at, piece));
                    at += piece;
                }
                tally.End();
                Assert.True(fields.Length == tally.Fields, $"'{line}' split by '{separator}': {fields.Length} fields, tallied {tally.Fields}");
                Assert.True(named.SetEquals(tally.Named), $"'{line}' split by '{separator}': names {string.Join(",", named)}, tallied {string.Join(",", tally.Named)}");
            }
        }
    }
}

using SpendOptimizer.Cli;

namespace SpendOptimizer.Api.Tests;

/// <summary>The CLI's progress bar while a path file is read.</summary>
public sealed class ReadProgressTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"paths-{Guid.NewGuid():N}.csv");

    public ReadProgressTests() =>
        File.WriteAllText(_file, "path,total_conversions,total_conversion_value,total_null\na > b,1,100,1\nb,0,0,2\n");

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void The_bar_names_the_file_counts_every_byte_read_and_ends_at_100_percent()
    {
        var shown = new StringWriter();
        long seen = 0;
        var paths = ReadProgress.Run("always", _file, shown, report => PathFileReader.Read(_file, n =>
        {
            Interlocked.Add(ref seen, n);
            report(n);
        }));
        Assert.Equal(2, paths.Count);
        Assert.True(seen >= new FileInfo(_file).Length, $"{seen} bytes reported of {new FileInfo(_file).Length}");
        Assert.Contains("reading " + Path.GetFileName(_file), shown.ToString());
        Assert.Contains("100%", shown.ToString());
    }

    [Fact]
    public void No_bar_when_asked_for_none_or_on_a_small_file_by_default_and_a_wrong_mode_is_a_usage_error()
    {
        foreach (var mode in new[] { "never", "auto", null })
        {
            var hidden = new StringWriter();
            Assert.Equal(2, ReadProgress.Run(mode, _file, hidden, report => PathFileReader.Read(_file, report)).Count);
            Assert.Equal("", hidden.ToString());
        }
        var e = Assert.Throws<UsageException>(() => ReadProgress.Run("sometimes", _file, TextWriter.Null, report => PathFileReader.Read(_file, report)));
        Assert.Contains("auto, always or never", e.Message);
    }
}

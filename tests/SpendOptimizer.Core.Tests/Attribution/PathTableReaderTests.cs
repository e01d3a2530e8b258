using System.Text;
using SpendOptimizer.Core.Attribution;
using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Core.Tests.Attribution;

public class PathTableReaderTests
{
    private static ByteSource Memory(byte[] bytes) => (offset, buffer) =>
    {
        var n = (int)Math.Min(buffer.Length, bytes.Length - offset);
        bytes.AsSpan((int)offset, n).CopyTo(buffer);
        return n;
    };

    /// <summary>Hands out a few bytes per call, so every read ends somewhere inside a line, a CRLF or a character.</summary>
    private static ByteSource Trickle(byte[] bytes, int seed)
    {
        var rng = new SeededRandom(seed);
        return (offset, buffer) =>
        {
            var n = (int)Math.Min(Math.Min(buffer.Length, rng.Integer(1, 18)), bytes.Length - offset);
            bytes.AsSpan((int)offset, n).CopyTo(buffer);
            return n;
        };
    }

    private static PathSet Read(byte[] bytes, int chunks = 1, int buffer = 1 << 20, ByteSource? source = null) =>
        PathTableReader.ReadPathSet(source ?? Memory(bytes), bytes.Length, "paths.csv", chunks, buffer);

    private static void AssertSame(PathSet expected, PathSet actual)
    {
        Assert.Equal(expected.Channels, actual.Channels);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++) Assert.Equal(expected.Paths[i], actual.Paths[i]);
        Assert.Equal(expected.Conversions, actual.Conversions);
        Assert.Equal(expected.Values, actual.Values);
        Assert.Equal(expected.Nulls, actual.Nulls);
    }

    [Fact]
    public void Reads_a_file_with_a_bom_crlf_quotes_blank_lines_and_odd_spacing_by_hand()
    {
        var text = "\uFEFF Path , \"total_conversions\",TOTAL_NULL,total_conversion_value\r\n"
            + "\"a > b\",1,0,10.5\r\n"
            + "\r\n"
            + "a>b ,2,1,4\n"
            + " café  >  b ,0,3,\r"
            + "\"a > b\",0,1,0";
        foreach (var chunks in new[] { 1, 2, 4 })
        {
            var set = Read(Encoding.UTF8.GetBytes(text), chunks, buffer: 5);
            Assert.Equal(["a", "b", "café"], set.Channels);
            Assert.Equal(2, set.Count);
            Assert.Equal([0, 1], set.Paths[0]);
            Assert.Equal([2, 1], set.Paths[1]);
            Assert.Equal([3.0, 0], set.Conversions);
            Assert.Equal([14.5, 0], set.Values);
            Assert.Equal([2.0, 3], set.Nulls);
        }
    }

    [Theory]
    [InlineData("path,total_conversions\na > > b,1\n", "paths.csv line 2: empty channel in path")]
    [InlineData("path,total_conversions\na,1\n\nb,x\n", "paths.csv line 4: 'x' is not a non-negative number")]
    [InlineData("path,total_conversions\r\na,1\r\nb\r\n", "paths.csv line 3: 1 fields, the header has 2")]
    [InlineData("path,total_conversions\na,-1\n", "paths.csv line 2: '-1' is not a non-negative number")]
    [InlineData("path,total_conversions\n>a,NaN\n", "paths.csv line 2: empty channel in path")]
    [InlineData("path,total_conversions\na,1\nb,NaN\n", "paths.csv line 3: 'NaN' is not a non-negative number")]
    [InlineData("", "paths.csv is empty")]
    [InlineData("\uFEFF", "paths.csv is empty")]
    [InlineData("channel,total_conversions\n", "paths.csv: missing column 'path' (have channel,total_conversions)")]
    public void Problems_name_the_line_and_read_as_the_line_reader_said_them(string text, string message)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Assert.Equal(message, Assert.Throws<PathTableException>(() => Read(bytes)).Message);
        Assert.Equal(message, Assert.Throws<PathTableException>(() => LinePathReader.Read(bytes, "paths.csv")).Message);
    }

    [Fact]
    public void Utf16_is_refused_rather_than_read_as_bytes()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("path,total_conversions\na,1\n")).ToArray();
        Assert.Contains("UTF-16", Assert.Throws<PathTableException>(() => Read(bytes)).Message);
    }

    [Fact]
    public void The_first_problem_wins_whichever_chunk_finds_it()
    {
        // A bad number early on and a bad path later: every split must report the number's line.
        var lines = Enumerable.Range(0, 400).Select(i => i == 37 ? "a > b,oops" : i == 300 ? "a > ,1" : "a > b,1");
        var bytes = Encoding.UTF8.GetBytes("path,total_conversions\n" + string.Join("\n", lines));
        foreach (var chunks in new[] { 1, 2, 3, 7 })
            Assert.Equal("paths.csv line 39: 'oops' is not a non-negative number", Assert.Throws<PathTableException>(() => Read(bytes, chunks, 16)).Message);
    }

    [Fact]
    public void A_path_problem_comes_before_a_number_problem_on_the_same_line()
    {
        var bytes = Encoding.UTF8.GetBytes("path,total_conversions\na,1\n a >  ,x\n");
        Assert.Equal("paths.csv line 3: empty channel in path", Assert.Throws<PathTableException>(() => Read(bytes, 2, 4)).Message);
    }

    private static readonly string[] Names = ["search", "display", "café", "広告", "📧 mail", "tv", "x\"y", "e\u0301"];
    private static readonly string[] Separators = [">", " > ", "  >", "> ", "\t>\t", " >\u00A0", "\u3000>"];
    private static readonly string[] Ends = ["\n", "\r\n", "\r"];
    private static readonly string[] Numbers = ["0", "1", "2", "3", "12", "2.5", "0.75", "1e1", " 3", "", "3.0", "007", "+4", "0.125 "];

    /// <summary>A seeded path file in the accepted format's many spellings; with <paramref name="faults"/>, a few bad lines too.</summary>
    private static byte[] RandomFile(int seed, int rows, bool faults)
    {
        var rng = new SeededRandom(seed);
        string Pick(string[] from) => from[rng.Integer(0, from.Length)];
        // Some files with faults allowed come out clean, so both outcomes are met either way.
        var faultRate = faults && rng.NextDouble() < 0.7 ? 1.0 : 0;
        var columns = new List<string> { "path", "total_conversions" };
        if (rng.NextDouble() < 0.8) columns.Add("total_conversion_value");
        if (rng.NextDouble() < 0.8) columns.Add("total_null");
        if (rng.NextDouble() < 0.3) columns.Add("campaign");
        columns = [.. columns.OrderBy(_ => rng.NextDouble())];
        var text = new StringBuilder(rng.NextDouble() < 0.5 ? "\uFEFF" : "");
        text.Append(string.Join(',', columns.Select(c => rng.NextDouble() < 0.3 ? $" \"{c.ToUpperInvariant()}\" " : c))).Append(Pick(Ends));
        for (var r = 0; r < rows; r++)
        {
            if (rng.NextDouble() < 0.05) text.Append(Pick(Ends));
            var length = rng.Integer(1, 5);
            var path = string.Join("", Enumerable.Range(0, length).Select(i => (i > 0 ? Pick(Separators) : "") + Pick(Names)));
            if (rng.NextDouble() < faultRate * 0.01) path = rng.NextDouble() < 0.5 ? path + " > " : "";
            if (rng.NextDouble() < 0.3) path = $"\"{path}\"";
            if (rng.NextDouble() < 0.2) path = $" {path} ";
            var fields = columns.Select(c => c switch
            {
                "path" => path,
                "campaign" => "c" + rng.Integer(0, 3),
                _ => rng.NextDouble() < faultRate * 0.005 ? (rng.NextDouble() < 0.5 ? "-1" : "many") : Pick(Numbers),
            }).ToList();
            if (rng.NextDouble() < faultRate * 0.003) fields.RemoveAt(fields.Count - 1);
            if (rng.NextDouble() < 0.05) fields.Add("extra");
            text.Append(string.Join(',', fields));
            if (r < rows - 1 || rng.NextDouble() < 0.5) text.Append(Pick(Ends));
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Random_files_read_exactly_as_the_line_reader_reads_them_however_they_are_split(bool faults)
    {
        for (var seed = 1; seed <= 40; seed++)
        {
            var bytes = RandomFile(seed, 300, faults);
            PathSet? expected = null;
            string? problem = null;
            try { expected = LinePathReader.Read(bytes, "paths.csv"); }
            catch (PathTableException e) { problem = e.Message; }
            var rng = new SeededRandom(seed, 7);
            foreach (var (chunks, buffer, trickle) in new[] { (1, 1 << 20, false), (2, rng.Integer(4, 64), false), (rng.Integer(3, 9), rng.Integer(4, 64), true) })
            {
                var source = trickle ? Trickle(bytes, seed) : null;
                if (problem is not null)
                    Assert.Equal(problem, Assert.Throws<PathTableException>(() => Read(bytes, chunks, buffer, source)).Message);
                else
                    AssertSame(expected!, Read(bytes, chunks, buffer, source));
            }
        }
    }

    [Fact]
    public void The_random_files_exercise_both_outcomes()
    {
        // Guards the test above against a generator that makes only good or only bad files.
        var bad = Enumerable.Range(1, 40).Count(seed =>
        {
            try { LinePathReader.Read(RandomFile(seed, 300, true), "paths.csv"); return false; }
            catch (PathTableException) { return true; }
        });
        Assert.InRange(bad, 10, 39);
        Assert.All(Enumerable.Range(1, 40), seed => LinePathReader.Read(RandomFile(seed, 300, false), "paths.csv"));
    }

    [Fact]
    public void Many_distinct_paths_and_a_path_longer_than_a_block_read_as_the_line_reader_reads_them()
    {
        // 150,000 distinct paths fill several of the sums' blocks; one path of 5 MB needs a block of its own.
        var text = new StringBuilder("path,total_conversions,total_null\n");
        for (var i = 0; i < 150_000; i++) text.Append("ch").Append(i % 997).Append(" > n").Append(i).Append(",1,").Append(i % 3).Append('\n');
        text.Append(string.Join(" > ", Enumerable.Repeat("long", 1_000_000))).Append(",2,0\n");
        for (var i = 0; i < 150_000; i += 7) text.Append("ch").Append(i % 997).Append(" > n").Append(i).Append(",0,1\n");
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var expected = LinePathReader.Read(bytes, "paths.csv");
        Assert.Equal(150_001, expected.Count);
        AssertSame(expected, Read(bytes, 2));
    }
}

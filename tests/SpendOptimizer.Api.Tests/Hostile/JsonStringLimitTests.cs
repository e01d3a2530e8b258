using System.Text;
using SpendOptimizer.Api.Errors;
using SpendOptimizer.Api.Ingest;

namespace SpendOptimizer.Api.Tests.Hostile;

/// <summary>
/// A JSON body is refused at its first string longer than the limit, naming the property it belongs to, however the body
/// is cut into reads; everything shorter passes through unchanged, escapes included.
/// </summary>
public sealed class JsonStringLimitTests
{
    private const int Max = JsonStringLimitStream.MaxStringBytes;

    /// <summary>Hands out at most <paramref name="most"/> bytes a read, as a network would.</summary>
    private sealed class Trickle(byte[] bytes, int most) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, most));
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => base.ReadAsync(buffer[..Math.Min(buffer.Length, most)], ct);
    }

    private static readonly int[] ReadSizes = [1, 2, 3, 7, 4096, 1 << 20];

    /// <summary>The body read through the limit, or the refusal; every read size must give the same answer.</summary>
    private static async Task<(byte[]? Read, ProblemException? Refused)> ReadAsync(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        (byte[]?, ProblemException?)? first = null;
        foreach (var size in ReadSizes)
        {
            (byte[]?, ProblemException?) answer;
            try
            {
                using var copy = new MemoryStream();
                await new JsonStringLimitStream(new Trickle(bytes, size)).CopyToAsync(copy);
                answer = (copy.ToArray(), null);
            }
            catch (ProblemException e)
            {
                answer = (null, e);
            }
            if (first is { } f)
            {
                Assert.Equal(f.Item1, answer.Item1);
                Assert.Equal(f.Item2?.Message, answer.Item2?.Message);
            }
            else first = answer;
        }
        return first!.Value;
    }

    private static async Task<RowError> RefusedAsync(string json)
    {
        var (_, refused) = await ReadAsync(json);
        Assert.NotNull(refused);
        Assert.Equal(400, refused.Status);
        return Assert.Single(refused.Errors);
    }

    [Fact]
    public async Task AStringOfTheLimitPassesUnchangedAndOneByteMoreIsRefusedNamingItsProperty()
    {
        var json = $$"""[{"date":"2026-01-05","channel":"{{new string('y', Max)}}","spend":1}]""";
        var (read, refused) = await ReadAsync(json);
        Assert.Null(refused);
        Assert.Equal(Encoding.UTF8.GetBytes(json), read);

        var error = await RefusedAsync($$"""[{"date":"2026-01-05","channel":"{{new string('y', Max + 1)}}","spend":1}]""");
        Assert.Equal("channel", error.Column);
        Assert.Contains($"{Max:N0} bytes", error.Reason);
        Assert.Equal(new string('y', ProblemBounds.ExcerptLength) + "…", error.Value);
    }

    [Fact]
    public async Task EscapesCountAsSentAndNeitherEndAStringNorHideItsEnd()
    {
        // Escaped quotes inside: one string of Max + 1 bytes, refused only if \" is read as part of it.
        var quoted = string.Concat(Enumerable.Repeat("abcdefgh\\\"", Max / 10 + 1));
        Assert.Equal("body", (await RefusedAsync($$"""{"body":"{{quoted}}"}""")).Column);
        var (_, fits) = await ReadAsync($$"""{"body":"{{quoted[..Max]}}"}""");
        Assert.Null(fits);

        // An escaped backslash ends with the quote after it: the long string that follows is the next property's.
        Assert.Equal("locks", (await RefusedAsync($$"""{"a":"x\\","b":{"c":[1,"\u0022"]},"locks":["ok","{{new string('z', Max + 1)}}"]}""")).Column);
    }

    [Fact]
    public async Task AValueInsideArraysIsNamedByTheObjectHoldingThemAndANameByItsExcerpt()
    {
        Assert.Equal("bounds", (await RefusedAsync($$"""{"budget":1,"bounds":[[{"min":1}],["{{new string('q', Max + 1)}}"]]}""")).Column);
        Assert.Equal("byte 2", (await RefusedAsync($$"""["{{new string('q', Max + 1)}}"]""")).Column);

        var name = await RefusedAsync($$$"""{"ok":{"{{{new string('n', Max + 1)}}}":1}}""");
        Assert.Equal(new string('n', ProblemBounds.ExcerptLength) + "…", name.Column);
        Assert.Contains("property name", (await ReadAsync($$"""{"{{new string('n', Max + 1)}}":1}""")).Refused!.Message);
    }
}

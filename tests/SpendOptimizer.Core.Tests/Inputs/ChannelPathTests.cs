using SpendOptimizer.Core.Attribution;

namespace SpendOptimizer.Core.Tests.Inputs;

public sealed class ChannelPathTests
{
    [Theory]
    [InlineData("a > b > c", "a > b > c", 3)]
    [InlineData("a>b>c", "a > b > c", 3)]
    [InlineData("  paid search >social  ", "paid search > social", 2)]
    [InlineData("email", "email", 1)]
    public void ParsesAnySpacingIntoTheCanonicalForm(string text, string canonical, int length)
    {
        var path = ChannelPath.TryParse(text, out var reason);
        Assert.Null(reason);
        Assert.Equal(canonical, path!.ToString());
        Assert.Equal(length, path.Channels.Count);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a > > b", "channel 2")]
    [InlineData("a >", "channel 2")]
    [InlineData("a > b\u0001", "control character")]
    public void RejectsTextThatIsNotAPathWithAReason(string text, string reasonPart)
    {
        Assert.Null(ChannelPath.TryParse(text, out var reason));
        Assert.Contains(reasonPart, reason);
    }

    [Fact]
    public void EqualPathsHashAlikeRegardlessOfSpacing()
    {
        var a = ChannelPath.TryParse("x>y", out _)!;
        var b = ChannelPath.TryParse("x > y", out _)!;
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, ChannelPath.Of("y", "x"));
    }
}

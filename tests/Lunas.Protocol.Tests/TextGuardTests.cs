using Lunas.Protocol.Wire;

namespace Lunas.Protocol.Tests;

public class TextGuardTests
{
    [Fact]
    public void Check_ReportsInvalidUnicode_ForLoneSurrogates()
    {
        // Built here: xUnit carries theory arguments as UTF-8, which turns a lone surrogate into U+FFFD.
        Assert.Equal(TextProblem.InvalidUnicode, TextGuard.Check("A" + (char)0xD800, allowLineBreaks: false));
        Assert.Equal(TextProblem.InvalidUnicode, TextGuard.Check((char)0xDC00 + "A", allowLineBreaks: false));
        Assert.Equal(TextProblem.InvalidUnicode, TextGuard.Check(new string((char)0xD800, 2), allowLineBreaks: true));
    }

    [Theory]
    [InlineData("INV-2024/001", false, TextProblem.None)]
    [InlineData("Toko \u00c9l\u00e9gant \U0001F600", false, TextProblem.None)]
    [InlineData("A\u0000B", true, TextProblem.ControlCharacter)]
    [InlineData("A\u007f", false, TextProblem.ControlCharacter)]
    [InlineData("A\u009b", true, TextProblem.ControlCharacter)]
    [InlineData("line\r\nnext\tcol", false, TextProblem.ControlCharacter)]
    [InlineData("line\r\nnext\tcol", true, TextProblem.None)]
    public void Check_FindsTheProblem_OfEachKindOfText(string text, bool allowLineBreaks, TextProblem expected)
        => Assert.Equal(expected, TextGuard.Check(text, allowLineBreaks));

    [Theory]
    [InlineData("\"\\ud800\"", TextProblem.InvalidUnicode)]
    [InlineData("\"a\\u0000\"", TextProblem.ControlCharacter)]
    [InlineData("\"ok\"", TextProblem.None)]
    public void Read_ReportsTheProblem_WithoutThrowing(string json, TextProblem expected)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);

        Assert.Equal(expected, TextGuard.Read(document.RootElement, allowLineBreaks: false, out var text));
        Assert.Equal(expected == TextProblem.None ? "ok" : "", text);
    }
}

using System.Text.Json;

namespace Lunas.Protocol.Wire;

/// <summary>What is wrong with a text value, if anything.</summary>
public enum TextProblem
{
    /// <summary>The text is acceptable.</summary>
    None,
    /// <summary>Invalid UTF-8 bytes or a lone UTF-16 surrogate (<c>"\ud800"</c>).</summary>
    InvalidUnicode,
    /// <summary>NUL or another control character.</summary>
    ControlCharacter,
}

/// <summary>
/// The one check every string read from a request goes through, whichever endpoint reads it: text that is not valid
/// Unicode or that carries control characters is refused with a message naming the field, before it can reach a
/// database (PostgreSQL refuses NUL in text) or a response header.
/// </summary>
public static class TextGuard
{
    /// <summary>Finds the first problem of <paramref name="text"/>.</summary>
    /// <param name="text">The decoded text.</param>
    /// <param name="allowLineBreaks">Whether tab, CR and LF are allowed (free text such as an address).</param>
    public static TextProblem Check(string text, bool allowLineBreaks)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return TextProblem.InvalidUnicode;
            }
            else if (char.IsControl(c) && !(allowLineBreaks && c is '\t' or '\n' or '\r'))
            {
                return TextProblem.ControlCharacter;
            }
        }
        return TextProblem.None;
    }

    /// <summary>
    /// Reads a JSON string value: <see cref="JsonElement.GetString"/> throws for invalid UTF-8 bytes and for escaped lone
    /// surrogates, both of which the parser lets through; here they are a <see cref="TextProblem.InvalidUnicode"/>.
    /// </summary>
    /// <param name="value">A JSON string.</param>
    /// <param name="allowLineBreaks">Whether tab, CR and LF are allowed.</param>
    /// <param name="text">The text, or <c>""</c> when there is a problem.</param>
    public static TextProblem Read(JsonElement value, bool allowLineBreaks, out string text)
    {
        try
        {
            text = value.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            text = "";
            return TextProblem.InvalidUnicode;
        }
        var problem = Check(text, allowLineBreaks);
        if (problem != TextProblem.None) text = "";
        return problem;
    }

    /// <summary>The message for a problem, worded to follow the field's name.</summary>
    /// <param name="problem">A problem other than <see cref="TextProblem.None"/>.</param>
    public static string Describe(TextProblem problem) => problem == TextProblem.InvalidUnicode
        ? "must be valid Unicode text"
        : "must not contain control characters";
}

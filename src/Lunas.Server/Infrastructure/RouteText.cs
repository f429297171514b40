using System.Buffers;
using System.Text;
using Lunas.Protocol.Wire;
using Microsoft.AspNetCore.Http.Features;

namespace Lunas.Server.Infrastructure;

public static class RouteText
{
    /// <summary>
    /// A path segment as the client meant it (<paramref name="fromEnd"/> 0 is the last), decoded exactly once from the
    /// raw request target and checked by <see cref="TextGuard"/>. ASP.NET Core's route value keeps <c>%2F</c> encoded
    /// (so a slash cannot split a segment) while decoding everything else, so decoding that again would turn a literal
    /// <c>%2F</c> (sent as <c>%252F</c>) into a slash.
    /// </summary>
    public static TextProblem Segment(HttpContext context, int fromEnd, out string text)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        // Origin form ("/path?query") as clients send it; absolute form ("http://host/path") as a proxy may.
        var path = raw.StartsWith('/') ? raw.Split('?', 2)[0]
            : Uri.TryCreate(raw, UriKind.Absolute, out var uri) ? uri.AbsolutePath
            : context.Request.PathBase + context.Request.Path.ToUriComponent();
        var end = path.Length;
        for (var i = 0; i < fromEnd && end > 0; i++)
        {
            end = path.LastIndexOf('/', end - 1);
        }
        var start = end > 0 ? path.LastIndexOf('/', end - 1) + 1 : 0;
        return PercentDecoding.Decode(Encoding.UTF8.GetBytes(path[start..Math.Max(start, end)]), plusIsSpace: false, out text);
    }
}

/// <summary>Percent-decoding that refuses what does not decode to clean text, instead of passing it on replaced or raw.</summary>
public static class PercentDecoding
{
    /// <summary>
    /// Decodes <c>%XX</c> (and <c>+</c> as a space for form bodies) once; a <c>%</c> not followed by two hex digits stays
    /// as it is. The bytes must then be valid UTF-8 and free of control characters.
    /// </summary>
    public static TextProblem Decode(ReadOnlySpan<byte> input, bool plusIsSpace, out string text)
    {
        var rented = input.Length > 512 ? ArrayPool<byte>.Shared.Rent(input.Length) : null;
        Span<byte> bytes = rented is null ? stackalloc byte[input.Length] : rented;
        try
        {
            var length = 0;
            for (var i = 0; i < input.Length; i++)
            {
                var b = input[i];
                if (b == '%' && i + 2 < input.Length && IsHex(input[i + 1]) && IsHex(input[i + 2]))
                {
                    bytes[length++] = (byte)((Hex(input[i + 1]) << 4) | Hex(input[i + 2]));
                    i += 2;
                }
                else
                {
                    bytes[length++] = plusIsSpace && b == '+' ? (byte)' ' : b;
                }
            }
            var decoded = bytes[..length];
            if (!System.Text.Unicode.Utf8.IsValid(decoded))
            {
                text = "";
                return TextProblem.InvalidUnicode;
            }
            text = Encoding.UTF8.GetString(decoded);
            var problem = TextGuard.Check(text, allowLineBreaks: false);
            if (problem != TextProblem.None) text = "";
            return problem;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int Hex(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}

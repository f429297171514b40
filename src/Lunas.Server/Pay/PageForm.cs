using Lunas.Protocol.Wire;
using Lunas.Server.Infrastructure;
using Microsoft.Extensions.Primitives;

namespace Lunas.Server.Pay;

/// <summary>
/// The page's form posts, read strictly: at most <see cref="MaxBytes"/>, <c>application/x-www-form-urlencoded</c>
/// UTF-8, every field within its length and free of control characters. The page's own forms send a few short fields.
/// </summary>
public static class PageForm
{
    public const int MaxBytes = 16 * 1024;
    public const int MaxNameLength = 64;
    public const int OtherFieldLength = 256;

    /// <summary>The longest value of each field the page posts; anything else is ignored up to <see cref="OtherFieldLength"/>.</summary>
    public static readonly IReadOnlyDictionary<string, int> FieldLengths = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["channel"] = 64, ["card_number"] = 32, ["expiry"] = 16, ["cvv"] = 8, ["tenor"] = 4,
        ["account"] = 64, ["decision"] = 16, ["otp"] = 16,
    };

    /// <param name="Error">Set when the form is refused: the status and a message naming the field.</param>
    public sealed record Result(IFormCollection Form, (int Status, string Message)? Error = null);

    /// <summary>The posted form; anything that is not a form reads as an empty one (and so as a missing choice).</summary>
    public static async Task<Result> ReadAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.HasFormContentType) return new Result(FormCollection.Empty);
        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
        {
            return new Result(FormCollection.Empty, (415, "the form must be sent as application/x-www-form-urlencoded"));
        }
        var body = await RequestBody.ReadAsync(request, MaxBytes, context.RequestAborted);
        if (body.TooLarge) return new Result(FormCollection.Empty, (413, $"the form is larger than {MaxBytes} bytes"));
        return Parse(body.Bytes.Span);
    }

    public static Result Parse(ReadOnlySpan<byte> body)
    {
        var fields = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        while (!body.IsEmpty)
        {
            var amp = body.IndexOf((byte)'&');
            var pair = amp < 0 ? body : body[..amp];
            body = amp < 0 ? [] : body[(amp + 1)..];
            if (pair.IsEmpty) continue;
            var eq = pair.IndexOf((byte)'=');
            var rawName = eq < 0 ? pair : pair[..eq];
            var rawValue = eq < 0 ? [] : pair[(eq + 1)..];
            if (PercentDecoding.Decode(rawName, plusIsSpace: true, out var name) is not TextProblem.None and var nameProblem)
            {
                return Refuse($"a form field name {TextGuard.Describe(nameProblem)}");
            }
            if (name.Length > MaxNameLength) return Refuse($"a form field name is longer than {MaxNameLength} characters");
            if (PercentDecoding.Decode(rawValue, plusIsSpace: true, out var value) is not TextProblem.None and var problem)
            {
                return Refuse($"{name} {TextGuard.Describe(problem)}");
            }
            var max = FieldLengths.GetValueOrDefault(name, OtherFieldLength);
            if (value.Length > max) return Refuse($"{name} max length is {max}");
            fields[name] = fields.TryGetValue(name, out var earlier) ? StringValues.Concat(earlier, value) : new StringValues(value);
        }
        return new Result(new FormCollection(fields));
    }

    private static Result Refuse(string message) => new(FormCollection.Empty, (400, message));
}

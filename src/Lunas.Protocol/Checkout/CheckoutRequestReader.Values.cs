using System.Globalization;
using System.Text.Json;
using Lunas.Protocol.Wire;

namespace Lunas.Protocol.Checkout;

/// <summary>The typed reads of single values and arrays, each reporting a wrong type under its field path.</summary>
public static partial class CheckoutRequestReader
{
    /// <summary>The string value, or false when it is not valid Unicode (see <see cref="TextGuard.Read"/>).</summary>
    private static bool TryGetString(JsonElement value, out string text)
        => TextGuard.Read(value, allowLineBreaks: true, out text) == TextProblem.None;

    private static bool Has(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var value) && !IsBlank(value);

    /// <summary>
    /// Null, or a string of nothing but whitespace: PHP clients (DOKU's WooCommerce plugin among them) send an unset
    /// optional field as <c>""</c> or <c>null</c>, so both read as absent. A channel that needs the field then reports it
    /// as not filled.
    /// </summary>
    private static bool IsBlank(JsonElement value)
        => value.ValueKind == JsonValueKind.Null
           || (value.ValueKind == JsonValueKind.String && TextGuard.Read(value, true, out var text) == TextProblem.None
               && string.IsNullOrWhiteSpace(text));

    private static JsonElement? Object(JsonElement parent, string name, string path, ValidationErrors errors)
    {
        if (!parent.TryGetProperty(name, out var value) || IsBlank(value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, "must be an object");
            return null;
        }
        return value;
    }

    /// <summary>A string; a JSON number is taken as its literal text (clients send <c>customer.id</c> as a number).</summary>
    private static string? String(JsonElement parent, string name, string path, ValidationErrors errors)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            return null;
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var problem = TextGuard.Read(value, allowLineBreaks: true, out var text);
                if (problem == TextProblem.None) return string.IsNullOrWhiteSpace(text) ? null : text;
                errors.Add(path, TextGuard.Describe(problem));
                return null;
            case JsonValueKind.Number:
                return value.GetRawText();
            case JsonValueKind.Null:
                return null;
            default:
                errors.Add(path, "must be a string");
                return null;
        }
    }

    /// <summary>
    /// A whole number, given as a JSON number or a numeric string; a non-zero fraction is an error. A blank string is
    /// absent unless the field is <paramref name="required"/>, where it is not a number.
    /// </summary>
    private static long? Integer(JsonElement parent, string name, string path, ValidationErrors errors, bool required = false)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null || (!required && IsBlank(value)))
        {
            return null;
        }
        string text;
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetInt64(out var whole))
            {
                return whole;
            }
            text = value.GetRawText();
        }
        else if (value.ValueKind == JsonValueKind.String && TryGetString(value, out var raw))
        {
            text = raw.Trim();
        }
        else
        {
            errors.Add(path, "must be a number");
            return null;
        }
        if (decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out var number))
        {
            if (number != decimal.Truncate(number))
            {
                errors.Add(path, "must be a whole number without decimals");
                return null;
            }
            if (number is > long.MaxValue or < long.MinValue)
            {
                errors.Add(path, "is too large");
                return null;
            }
            return (long)number;
        }
        errors.Add(path, text.Length > 0 && text.All(c => char.IsDigit(c) || c is '.' or '-' or '+' or 'e' or 'E')
            ? "is too large"
            : "must be a number");
        return null;
    }

    private static bool? Boolean(JsonElement parent, string name, string path, ValidationErrors errors)
    {
        if (!parent.TryGetProperty(name, out var value) || IsBlank(value))
        {
            return null;
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.String when TryGetString(value, out var text) && bool.TryParse(text, out var parsed):
                return parsed;
            default:
                errors.Add(path, "must be a boolean");
                return null;
        }
    }

    private static List<string>? StringArray(JsonElement parent, string name, string path, ValidationErrors errors)
    {
        if (!parent.TryGetProperty(name, out var value) || IsBlank(value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(path, "must be an array of strings");
            return null;
        }
        var list = new List<string>(Math.Min(value.GetArrayLength(), CheckoutRules.MaxPaymentMethodTypes));
        var index = 0;
        foreach (var entry in Capped(value, CheckoutRules.MaxPaymentMethodTypes, path, errors))
        {
            var text = "";
            var problem = entry.ValueKind == JsonValueKind.String ? TextGuard.Read(entry, false, out text) : TextProblem.None;
            if (entry.ValueKind == JsonValueKind.String && problem == TextProblem.None)
            {
                list.Add(text);
            }
            else
            {
                errors.Add($"{path}[{index}]", problem == TextProblem.ControlCharacter ? TextGuard.Describe(problem) : "must be a string");
                list.Add(""); // keeps every later entry at its own index, so its errors name the right path
            }
            index++;
        }
        return list;
    }

    private static List<int>? IntArray(JsonElement parent, string name, string path, ValidationErrors errors)
    {
        if (!parent.TryGetProperty(name, out var value) || IsBlank(value))
        {
            return null;
        }
        if (value.ValueKind is JsonValueKind.Number or JsonValueKind.String)
        {
            // The seed's table types allow_tenor as "number": one tenor sent bare is a list of one.
            if (TryGetInt(value, out var single))
            {
                return [single];
            }
            errors.Add(path, "must be a number or an array of numbers");
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(path, "must be a number or an array of numbers");
            return null;
        }
        var list = new List<int>(Math.Min(value.GetArrayLength(), CheckoutRules.MaxTenors));
        var index = 0;
        foreach (var entry in Capped(value, CheckoutRules.MaxTenors, path, errors))
        {
            if (TryGetInt(entry, out var number))
            {
                list.Add(number);
            }
            else
            {
                errors.Add($"{path}[{index}]", "must be a number");
                list.Add(-1); // keeps every later entry at its own index; the rules skip an entry already reported
            }
            index++;
        }
        return list;
    }

    /// <summary>
    /// The first <paramref name="max"/> entries of an array; a longer one is reported once and the rest is not read,
    /// so a huge array costs no more than a full one.
    /// </summary>
    private static IEnumerable<JsonElement> Capped(JsonElement array, int max, string path, ValidationErrors errors)
    {
        if (array.GetArrayLength() > max)
        {
            errors.Add(path, $"must have at most {max} entries");
        }
        return array.EnumerateArray().Take(max);
    }

    private static bool TryGetInt(JsonElement value, out int number)
    {
        number = 0;
        return (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out number))
               || (value.ValueKind == JsonValueKind.String && TryGetString(value, out var text)
                   && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number));
    }
}

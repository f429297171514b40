using System.Globalization;

namespace Lunas.Protocol.Payments;

/// <summary>Reading a QRIS payload back: the TLV structure, its templates and its CRC.</summary>
public static partial class Qris
{
    /// <summary>
    /// Parses and checks a payload: a well-formed TLV structure (two-digit tag, two-digit length, values in printable
    /// ASCII, no repeated tag, well-formed templates 26–51, 62 and 64), tag 00 first and equal to <c>01</c>, tag 63 last
    /// with four hex digits matching the CRC of everything before them. Never throws: on any problem it returns false
    /// with <paramref name="parsed"/> null and a human-readable <paramref name="error"/>.
    /// </summary>
    public static bool TryParse(string? payload, out QrisPayload? parsed, out string? error)
    {
        parsed = null;
        if (string.IsNullOrEmpty(payload))
        {
            error = "payload is empty";
            return false;
        }
        for (var i = 0; i < payload.Length; i++)
        {
            if (!IsPrintableAscii(payload[i]))
            {
                error = $"payload contains a character that is not printable ASCII at position {i}";
                return false;
            }
        }

        if (!TryReadFields(payload, out var fields, out var sawCrc, out error))
        {
            return false;
        }

        if (!sawCrc)
        {
            error = "the payload has no CRC (tag 63)";
            return false;
        }
        if (fields["00"] != "01")
        {
            error = $"tag 00 (payload format indicator) must be 01, not {fields["00"]}";
            return false;
        }

        long? amount = null;
        if (fields.TryGetValue("54", out var amountText))
        {
            if (!TryParseAmount(amountText, out var value))
            {
                error = $"tag 54 (transaction amount) is not a whole rupiah amount: {amountText}";
                return false;
            }
            amount = value;
        }

        string? reference = null;
        if (fields.TryGetValue("62", out var additionalData)
            && TryReadTemplate(additionalData, "62", out var additionalFields, out _)
            && additionalFields.TryGetValue("01", out var billNumber))
        {
            reference = billNumber;
        }

        parsed = new QrisPayload(fields, amount, reference, fields.GetValueOrDefault("59"));
        error = null;
        return true;
    }

    // The top-level TLV fields, each checked as it is read; the CRC field is verified against what precedes it.
    private static bool TryReadFields(string payload, out Dictionary<string, string> fields, out bool sawCrc, out string? error)
    {
        fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var position = 0;
        sawCrc = false;
        while (position < payload.Length)
        {
            if (!TryReadField(payload, position, "payload", out var tag, out var value, out var next, out error))
            {
                return false;
            }
            if (!fields.TryAdd(tag, value))
            {
                error = $"tag {tag} appears more than once";
                return false;
            }
            if (position == 0 && tag != "00")
            {
                error = $"the payload must start with tag 00 (payload format indicator), not tag {tag}";
                return false;
            }
            if (tag == CrcTag)
            {
                if (next != payload.Length)
                {
                    error = "tag 63 (CRC) must be the last field";
                    return false;
                }
                if (value.Length != 4 || !value.All(char.IsAsciiHexDigit))
                {
                    error = "tag 63 (CRC) must be four hex digits";
                    return false;
                }
                var expected = Crc16(payload.AsSpan(0, position + 4));
                if (!string.Equals(value, expected, StringComparison.OrdinalIgnoreCase))
                {
                    error = $"CRC mismatch: the payload says {value}, its content gives {expected}";
                    return false;
                }
                sawCrc = true;
            }
            else if (IsTemplate(tag) && !TryReadTemplate(value, tag, out _, out error))
            {
                return false;
            }
            position = next;
        }

        error = null;
        return true;
    }

    // Templates whose value is itself a TLV list: merchant account information 26–51, additional data 62, language 64.
    private static bool IsTemplate(string tag) => tag is "62" or "64" || (string.CompareOrdinal(tag, "26") >= 0 && string.CompareOrdinal(tag, "51") <= 0);

    private static bool TryReadTemplate(string value, string tag, out Dictionary<string, string> fields, out string? error)
    {
        fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var position = 0;
        while (position < value.Length)
        {
            if (!TryReadField(value, position, $"tag {tag}", out var subTag, out var subValue, out var next, out error))
            {
                return false;
            }
            if (!fields.TryAdd(subTag, subValue))
            {
                error = $"sub-field {subTag} of tag {tag} appears more than once";
                return false;
            }
            position = next;
        }
        error = null;
        return true;
    }

    private static bool TryReadField(string text, int position, string where, out string tag, out string value, out int next, out string? error)
    {
        tag = "";
        value = "";
        next = position;
        if (text.Length - position < 4)
        {
            error = $"{where} is truncated at position {position}: a field needs a two-digit tag and a two-digit length";
            return false;
        }
        if (!char.IsAsciiDigit(text[position]) || !char.IsAsciiDigit(text[position + 1]))
        {
            error = $"{where} has a tag that is not two digits at position {position}: {text.Substring(position, 2)}";
            return false;
        }
        tag = text.Substring(position, 2);
        if (!char.IsAsciiDigit(text[position + 2]) || !char.IsAsciiDigit(text[position + 3]))
        {
            error = $"{where}: the length of tag {tag} at position {position} is not two digits: {text.Substring(position + 2, 2)}";
            return false;
        }
        var length = (text[position + 2] - '0') * 10 + (text[position + 3] - '0');
        var remaining = text.Length - position - 4;
        if (length > remaining)
        {
            error = $"{where}: tag {tag} at position {position} declares {length} characters but only {remaining} remain";
            return false;
        }
        value = text.Substring(position + 4, length);
        next = position + 4 + length;
        error = null;
        return true;
    }

    // Whole rupiah, optionally written with a fraction of zeros ("10000" or "10000.00").
    private static bool TryParseAmount(string text, out long amount)
    {
        amount = 0;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? text : text[..dot];
        if (dot >= 0)
        {
            var fraction = text.AsSpan(dot + 1);
            if (fraction.IsEmpty || fraction.ContainsAnyExcept('0'))
            {
                return false;
            }
        }
        return whole.Length is > 0 and <= 13 && whole.All(char.IsAsciiDigit)
            && long.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out amount);
    }
}

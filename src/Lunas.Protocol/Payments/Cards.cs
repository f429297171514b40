using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Lunas.Protocol.Payments;

/// <summary>What the simulated card network does with a card.</summary>
public enum CardOutcome
{
    /// <summary>The payment is authorised.</summary>
    Approve,

    /// <summary>The issuer declines the payment.</summary>
    Decline,

    /// <summary>The issuer asks for a 3-D Secure challenge before deciding.</summary>
    Challenge,
}

/// <summary>
/// Card checks for the simulated card form: normalisation, the Luhn check, brand detection, masking, form validation
/// and the documented test cards that steer the outcome.
/// </summary>
public static class Cards
{
    /// <summary>The fewest digits a card number may have.</summary>
    public const int MinLength = 12;

    /// <summary>The most digits a card number may have.</summary>
    public const int MaxLength = 19;

    /// <summary>
    /// The documented test cards and their outcomes. Any other Luhn-valid number is approved.
    /// </summary>
    public static IReadOnlyList<(string Number, string Brand, CardOutcome Outcome)> TestCards { get; } =
    [
        ("4111111111111111", "VISA", CardOutcome.Approve),
        ("5555555555554444", "MASTERCARD", CardOutcome.Approve),
        ("4000000000000002", "VISA", CardOutcome.Decline),
        ("4000000000003220", "VISA", CardOutcome.Challenge),
    ];

    /// <summary>
    /// The outcome for a card number: the documented outcome of a test card, <see cref="CardOutcome.Approve"/> for any
    /// other Luhn-valid number, and <see cref="CardOutcome.Decline"/> for a number that is not a valid card number.
    /// Spaces and dashes are ignored.
    /// </summary>
    public static CardOutcome OutcomeFor(string digits)
    {
        var normalized = Normalize(digits);
        if (normalized is null || !IsLuhnValid(normalized))
        {
            return CardOutcome.Decline;
        }
        foreach (var card in TestCards)
        {
            if (card.Number == normalized)
            {
                return card.Outcome;
            }
        }
        return CardOutcome.Approve;
    }

    /// <summary>
    /// The digits of <paramref name="number"/> with spaces and dashes removed; null when it is null, holds anything
    /// else that is not an ASCII digit, or has no digit at all.
    /// </summary>
    public static string? Normalize(string? number)
    {
        if (number is null)
        {
            return null;
        }
        var sb = new StringBuilder(number.Length);
        foreach (var c in number)
        {
            if (char.IsAsciiDigit(c))
            {
                sb.Append(c);
            }
            else if (c is not (' ' or '-'))
            {
                return null;
            }
        }
        return sb.Length == 0 ? null : sb.ToString();
    }

    /// <summary>The Luhn check digit that, appended to <paramref name="digits"/> (ASCII digits), makes the number valid.</summary>
    public static char LuhnCheckDigit(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        var sum = 0;
        var doubled = true; // the check digit will be the rightmost, so the last digit here is doubled
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            if (!char.IsAsciiDigit(digits[i]))
            {
                throw new ArgumentException("Only ASCII digits have a Luhn check digit.", nameof(digits));
            }
            var d = digits[i] - '0';
            if (doubled)
            {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            doubled = !doubled;
        }
        return (char)('0' + (10 - sum % 10) % 10);
    }

    /// <summary>True when <paramref name="digits"/> is 12 to 19 ASCII digits that pass the Luhn check.</summary>
    public static bool IsLuhnValid(string digits)
    {
        if (digits is null || digits.Length is < MinLength or > MaxLength)
        {
            return false;
        }
        var sum = 0;
        var doubled = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var c = digits[i];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            var d = c - '0';
            if (doubled)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    /// <summary>
    /// The brand by prefix: <c>VISA</c> (4), <c>MASTERCARD</c> (51–55, 2221–2720), <c>AMEX</c> (34, 37), <c>JCB</c>
    /// (3528–3589), otherwise <c>CARD</c>.
    /// </summary>
    public static string Brand(string digits)
    {
        var one = Prefix(digits, 1);
        var two = Prefix(digits, 2);
        var four = Prefix(digits, 4);
        if (one == 4)
        {
            return "VISA";
        }
        if (two is >= 51 and <= 55 || four is >= 2221 and <= 2720)
        {
            return "MASTERCARD";
        }
        if (two is 34 or 37)
        {
            return "AMEX";
        }
        if (four is >= 3528 and <= 3589)
        {
            return "JCB";
        }
        return "CARD";
    }

    /// <summary>
    /// The number masked for display, its length preserved: the first 6 and last 4 digits with asterisks between
    /// (<c>411111******1111</c>). A number shorter than 15 digits shows only its last 4 (keeping 10 of 12 digits would
    /// leave the rest guessable), and one of 4 characters or fewer is all asterisks.
    /// </summary>
    public static string Mask(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        if (digits.Length >= 15)
        {
            return string.Concat(digits.AsSpan(0, 6), new string('*', digits.Length - 10), digits.AsSpan(digits.Length - 4));
        }
        if (digits.Length > 4)
        {
            return string.Concat(new string('*', digits.Length - 4), digits.AsSpan(digits.Length - 4));
        }
        return new string('*', digits.Length);
    }

    /// <summary>
    /// Validates the card form and returns every problem as <c>&lt;field&gt; &lt;what is wrong&gt;</c>, with the fields
    /// <c>card_number</c> (digits, spaces and dashes; 12 to 19 digits passing the Luhn check), <c>expiry</c>
    /// (<c>MM/YY</c> or <c>MM/YYYY</c>, month 01–12, not before the month of <paramref name="now"/> in its own offset:
    /// a card is valid through the end of its month) and <c>cvv</c> (3 digits, 4 for AMEX; 3 or 4 when the number is
    /// unreadable). Empty when all is well.
    /// </summary>
    public static IReadOnlyList<string> Validate(string? number, string? expiry, string? cvv, DateTimeOffset now)
    {
        var errors = new List<string>();

        string? digits = null;
        if (string.IsNullOrWhiteSpace(number))
        {
            errors.Add("card_number must be filled");
        }
        else if ((digits = Normalize(number)) is null)
        {
            errors.Add("card_number must contain only digits, spaces or dashes");
        }
        else if (digits.Length is < MinLength or > MaxLength)
        {
            errors.Add($"card_number must be {MinLength} to {MaxLength} digits");
        }
        else if (!IsLuhnValid(digits))
        {
            errors.Add("card_number is not a valid card number");
        }

        ValidateExpiry(expiry, now, errors);

        if (string.IsNullOrEmpty(cvv))
        {
            errors.Add("cvv must be filled");
        }
        else if (digits is null)
        {
            if (cvv.Length is not (3 or 4) || !cvv.All(char.IsAsciiDigit))
            {
                errors.Add("cvv must be 3 or 4 digits");
            }
        }
        else if (Brand(digits) == "AMEX")
        {
            if (cvv.Length != 4 || !cvv.All(char.IsAsciiDigit))
            {
                errors.Add("cvv must be 4 digits for AMEX");
            }
        }
        else if (cvv.Length != 3 || !cvv.All(char.IsAsciiDigit))
        {
            errors.Add("cvv must be 3 digits");
        }

        return errors;
    }

    /// <summary>
    /// A 6-digit approval code derived from <paramref name="seed"/> (for example an attempt id): the same seed always
    /// gives the same code.
    /// </summary>
    public static string ApprovalCode(string seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(seed), hash);
        var value = BinaryPrimitives.ReadUInt32BigEndian(hash) % 1_000_000;
        return value.ToString("D6", CultureInfo.InvariantCulture);
    }

    private static void ValidateExpiry(string? expiry, DateTimeOffset now, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(expiry))
        {
            errors.Add("expiry must be filled");
            return;
        }
        var text = expiry.Trim();
        if (text.Length is not (5 or 7) || text[2] != '/'
            || !char.IsAsciiDigit(text[0]) || !char.IsAsciiDigit(text[1])
            || text.AsSpan(3).ContainsAnyExceptInRange('0', '9'))
        {
            errors.Add("expiry must be MM/YY or MM/YYYY");
            return;
        }
        var month = (text[0] - '0') * 10 + (text[1] - '0');
        if (month is < 1 or > 12)
        {
            errors.Add("expiry month must be 01-12");
            return;
        }
        var year = int.Parse(text.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture);
        if (text.Length == 5)
        {
            year += 2000;
        }
        if (year < now.Year || (year == now.Year && month < now.Month))
        {
            errors.Add("expiry is in the past");
        }
    }

    // The number formed by the first n characters, or -1 when there are fewer or they are not all digits.
    private static int Prefix(string digits, int n)
    {
        if (digits is null || digits.Length < n)
        {
            return -1;
        }
        var value = 0;
        for (var i = 0; i < n; i++)
        {
            if (!char.IsAsciiDigit(digits[i]))
            {
                return -1;
            }
            value = value * 10 + (digits[i] - '0');
        }
        return value;
    }
}

using System.Globalization;
using System.Text;

namespace Lunas.Protocol.Payments;

/// <summary>
/// QRIS payloads (EMVCo merchant-presented mode, Indonesian profile): a flat string of TLV fields, each a two-digit
/// tag, a two-digit length counted in characters and the value, closed by tag <c>63</c> holding the CRC-16/CCITT-FALSE
/// of everything before it (its own <c>6304</c> included). Values are restricted to printable ASCII, so characters and
/// bytes coincide.
/// </summary>
public static partial class Qris
{
    /// <summary>The globally unique identifier of Lunas' merchant account information (tag 26, sub-field 00).</summary>
    public const string LunasGuid = "ID.CO.LUNAS.WWW";

    /// <summary>The globally unique identifier of the QRIS national merchant information (tag 51, sub-field 00).</summary>
    public const string QrisGuid = "ID.CO.QRIS.WWW";

    /// <summary>The merchant criteria sent in sub-field 03 of tags 26 and 51 (micro enterprise).</summary>
    public const string MerchantCriteria = "UMI";

    /// <summary>The terminal label sent in tag 62, sub-field 07.</summary>
    public const string TerminalLabel = "LUNAS01";

    /// <summary>The longest bill number (tag 62, sub-field 01), hence the longest reference.</summary>
    public const int MaxReferenceLength = 25;

    /// <summary>The longest merchant name (tag 59); longer names are truncated.</summary>
    public const int MaxNameLength = 25;

    /// <summary>The longest merchant city (tag 60); longer cities are truncated.</summary>
    public const int MaxCityLength = 15;

    /// <summary>The most digits of the transaction amount (tag 54 holds at most 13 characters).</summary>
    private const long MaxAmount = 9_999_999_999_999;

    private const string CrcTag = "63";

    /// <summary>
    /// Builds a dynamic QRIS payload for <paramref name="amount"/> rupiah with <paramref name="reference"/> as the bill
    /// number. The merchant name is truncated to 25 characters and the city to 15, with non-ASCII and control
    /// characters replaced by spaces; every other value must already be printable ASCII.
    /// </summary>
    /// <exception cref="ArgumentNullException">The merchant, the reference or one of the merchant's values is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The amount is not between 1 and 13 digits of rupiah.</exception>
    /// <exception cref="ArgumentException">
    /// The reference is empty, longer than 25 characters or not printable ASCII; a merchant value is empty or not
    /// printable ASCII; the PAN is not digits; the MCC is not four digits; or a field would exceed 99 characters.
    /// </exception>
    public static string Build(QrisMerchant merchant, long amount, string reference)
    {
        ArgumentNullException.ThrowIfNull(merchant);
        ArgumentNullException.ThrowIfNull(reference);
        if (amount is < 1 or > MaxAmount)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "The amount must be between 1 and 9999999999999 rupiah.");
        }
        if (reference.Length > MaxReferenceLength)
        {
            throw new ArgumentException($"The reference must be at most {MaxReferenceLength} characters (QRIS bill number).", nameof(reference));
        }
        RequirePrintableAscii(reference, nameof(reference));
        var pan = RequirePrintableAscii(merchant.MerchantPan, nameof(merchant) + "." + nameof(QrisMerchant.MerchantPan));
        if (!pan.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("The merchant PAN must be digits.", nameof(merchant));
        }
        var mcc = RequirePrintableAscii(merchant.Mcc, nameof(merchant) + "." + nameof(QrisMerchant.Mcc));
        if (mcc.Length != 4 || !mcc.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("The merchant category code must be four digits.", nameof(merchant));
        }
        var merchantId = RequirePrintableAscii(merchant.MerchantId, nameof(merchant) + "." + nameof(QrisMerchant.MerchantId));
        var nmid = RequirePrintableAscii(merchant.Nmid, nameof(merchant) + "." + nameof(QrisMerchant.Nmid));
        var postalCode = RequirePrintableAscii(merchant.PostalCode, nameof(merchant) + "." + nameof(QrisMerchant.PostalCode));
        var name = Sanitize(merchant.Name, MaxNameLength, nameof(merchant) + "." + nameof(QrisMerchant.Name));
        var city = Sanitize(merchant.City, MaxCityLength, nameof(merchant) + "." + nameof(QrisMerchant.City));

        var accountInfo = new StringBuilder(96);
        AppendField(accountInfo, "00", LunasGuid);
        AppendField(accountInfo, "01", pan);
        AppendField(accountInfo, "02", merchantId);
        AppendField(accountInfo, "03", MerchantCriteria);

        var nationalInfo = new StringBuilder(64);
        AppendField(nationalInfo, "00", QrisGuid);
        AppendField(nationalInfo, "02", nmid);
        AppendField(nationalInfo, "03", MerchantCriteria);

        var additionalData = new StringBuilder(48);
        AppendField(additionalData, "01", reference);
        AppendField(additionalData, "07", TerminalLabel);

        var sb = new StringBuilder(320);
        AppendField(sb, "00", "01");
        AppendField(sb, "01", "12");
        AppendField(sb, "26", accountInfo.ToString());
        AppendField(sb, "51", nationalInfo.ToString());
        AppendField(sb, "52", mcc);
        AppendField(sb, "53", "360");
        AppendField(sb, "54", amount.ToString(CultureInfo.InvariantCulture));
        AppendField(sb, "58", "ID");
        AppendField(sb, "59", name);
        AppendField(sb, "60", city);
        AppendField(sb, "61", postalCode);
        AppendField(sb, "62", additionalData.ToString());
        sb.Append(CrcTag).Append("04");
        var crc = Crc16(sb.ToString());
        return sb.Append(crc).ToString();
    }

    /// <summary>
    /// The CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR) of
    /// <paramref name="data"/> as four uppercase hex digits. ASCII characters are their own bytes; anything else is
    /// taken as UTF-8.
    /// </summary>
    public static string Crc16(ReadOnlySpan<char> data)
    {
        ushort crc = 0xFFFF;
        foreach (var c in data)
        {
            if (c > 0x7F)
            {
                return Crc16(Encoding.UTF8.GetBytes(data.ToArray()));
            }
            crc = Update(crc, (byte)c);
        }
        return crc.ToString("X4", CultureInfo.InvariantCulture);
    }

    private static string Crc16(byte[] data)
    {
        ushort crc = 0xFFFF;
        foreach (var b in data)
        {
            crc = Update(crc, b);
        }
        return crc.ToString("X4", CultureInfo.InvariantCulture);
    }

    private static ushort Update(ushort crc, byte value)
    {
        crc ^= (ushort)(value << 8);
        for (var bit = 0; bit < 8; bit++)
        {
            crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
        }
        return crc;
    }

    private static void AppendField(StringBuilder sb, string tag, string value)
    {
        if (value.Length > 99)
        {
            throw new ArgumentException($"QRIS field {tag} would be {value.Length} characters; at most 99 fit.");
        }
        sb.Append(tag).Append(value.Length.ToString("D2", CultureInfo.InvariantCulture)).Append(value);
    }

    private static bool IsPrintableAscii(char c) => c is >= ' ' and <= '~';

    private static string RequirePrintableAscii(string? value, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        if (value.Length == 0)
        {
            throw new ArgumentException("The value must not be empty.", paramName);
        }
        if (!value.All(IsPrintableAscii))
        {
            throw new ArgumentException("The value must be printable ASCII.", paramName);
        }
        return value;
    }

    private static string Sanitize(string? value, int maxLength, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        var chars = value.Length > maxLength ? value[..maxLength].ToCharArray() : value.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!IsPrintableAscii(chars[i]))
            {
                chars[i] = ' ';
            }
        }
        var sanitized = new string(chars);
        if (string.IsNullOrWhiteSpace(sanitized))
        {
            throw new ArgumentException("The value must contain at least one printable ASCII character.", paramName);
        }
        return sanitized;
    }

}

/// <summary>The merchant values a QRIS payload carries.</summary>
/// <param name="Name">The merchant name (tag 59); truncated to 25 characters, non-ASCII and control characters become spaces.</param>
/// <param name="City">The merchant city (tag 60); truncated to 15 characters, non-ASCII and control characters become spaces.</param>
/// <param name="PostalCode">The postal code (tag 61).</param>
/// <param name="MerchantPan">The merchant PAN, digits only (tag 26, sub-field 01).</param>
/// <param name="MerchantId">The merchant ID at the acquirer (tag 26, sub-field 02).</param>
/// <param name="Nmid">The QRIS national merchant ID (tag 51, sub-field 02).</param>
/// <param name="Mcc">The four-digit merchant category code (tag 52).</param>
public sealed record QrisMerchant(string Name, string City, string PostalCode, string MerchantPan, string MerchantId, string Nmid, string Mcc);

/// <summary>A QRIS payload that passed <see cref="Qris.TryParse"/>.</summary>
/// <param name="Fields">Every top-level tag and its raw value, the CRC (63) included.</param>
/// <param name="Amount">The transaction amount in rupiah (tag 54); null when the payload has none.</param>
/// <param name="Reference">The bill number (tag 62, sub-field 01); null when the payload has none.</param>
/// <param name="MerchantName">The merchant name (tag 59); null when the payload has none.</param>
public sealed record QrisPayload(IReadOnlyDictionary<string, string> Fields, long? Amount, string? Reference, string? MerchantName);

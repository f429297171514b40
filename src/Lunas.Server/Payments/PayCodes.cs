using System.Security.Cryptography;
using Lunas.Protocol.Channels;

namespace Lunas.Server.Payments;

/// <summary>
/// A test seam: where the payment steps take a new code from instead of <see cref="PayCodes.New"/> (a test forces a
/// code that is already taken). Lunas itself registers none.
/// </summary>
public interface IPayCodeSource
{
    /// <summary>A code for the channel, as <see cref="PayCodes.New"/> gives (null for a channel that needs none).</summary>
    string? New(PaymentMethod method);
}

/// <summary>The numbers a customer pays to: virtual-account numbers, store payment codes, QRIS references.</summary>
public static class PayCodes
{
    private static readonly Dictionary<string, string> VaPrefixes = new(StringComparer.Ordinal)
    {
        ["BCA"] = "19008", ["BANK_MANDIRI"] = "89022", ["BANK_SYARIAH_MANDIRI"] = "60590", ["BSI"] = "60590",
        ["DOKU"] = "88890", ["BRI"] = "13925", ["BNI"] = "84920", ["BANK_PERMATA"] = "88560", ["BANK_CIMB"] = "59190",
        ["BANK_DANAMON"] = "79150", ["MAYBANK"] = "78280", ["SINARMAS"] = "52300", ["BTN"] = "94010", ["BNC"] = "90110",
    };

    /// <summary>A fresh code for a channel that needs one (null for the rest). Uniqueness is the database's job.</summary>
    public static string? New(PaymentMethod method) => method.Family switch
    {
        ChannelFamily.VirtualAccount => VaPrefixes.GetValueOrDefault(method.AcquirerId, "98880") + Digits(11),
        ChannelFamily.ConvenienceStore => (method.AcquirerId == "ALFA" ? "8881" : "8882") + Digits(12),
        ChannelFamily.Qris => "LQ" + Digits(20),
        _ => null,
    };

    private static string Digits(int count)
    {
        Span<char> digits = stackalloc char[count];
        for (var i = 0; i < count; i++)
        {
            digits[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        }
        return new string(digits);
    }
}

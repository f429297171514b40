using System.Globalization;
using System.Security.Cryptography;
using Lunas.Protocol.Wire;

namespace Lunas.Server.Checkout;

/// <summary>Transaction status values of spec section 3.</summary>
public static class TransactionStatus
{
    public const string Pending = "PENDING";
    public const string Success = "SUCCESS";
    public const string Failed = "FAILED";
    public const string Expired = "EXPIRED";
}

/// <summary>The identifiers DOKU gives a new checkout, in DOKU's own shapes.</summary>
public sealed record SessionIdentity(string SessionId, string TokenId, string Uuid, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt)
{
    public static SessionIdentity Create(DateTimeOffset now, long dueMinutes)
    {
        // Time-ordered (UUIDv7: 48-bit milliseconds, then 74 random bits), so the session index grows at its right edge
        // instead of dirtying a random page each: fewer pages per group commit. 32 hex digits, as DOKU's.
        var sessionId = Guid.CreateVersion7(now).ToString("N");
        var wib = now.ToOffset(DokuTime.Wib);
        // DOKU's token_id is 32 hex digits plus a WIB stamp whose month field is the minute ("yyyymmddHHmmssSSS");
        // reproduced so that code parsing DOKU tokens sees the same shape. The token is the customer's whole authority
        // over the page, so its hex part is 128 fresh random bits, not the session id (which the merchant API shows).
        var stamp = wib.ToString("yyyy", CultureInfo.InvariantCulture) + wib.ToString("mm", CultureInfo.InvariantCulture)
                    + wib.ToString("ddHHmmssfff", CultureInfo.InvariantCulture);
        Span<byte> random = stackalloc byte[21];
        RandomNumberGenerator.Fill(random);
        Span<char> digits = stackalloc char[21];
        for (var i = 0; i < digits.Length; i++)
        {
            digits[i] = (char)('0' + random[i] % 10);
        }
        var uuid = "2225" + wib.ToString("yyMMddHHmmssfff", CultureInfo.InvariantCulture) + new string(digits);
        var token = RandomNumberGenerator.GetHexString(32, lowercase: true) + stamp;
        return new SessionIdentity(sessionId, token, uuid, now, now.AddMinutes(dueMinutes));
    }

    /// <summary><c>expired_date</c>: <c>yyyyMMddHHmmss</c> in UTC+7.</summary>
    public string ExpiredDate => DokuTime.FormatWib(ExpiresAt);
}

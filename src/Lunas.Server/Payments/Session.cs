using System.Globalization;
using System.Security.Cryptography;
using Lunas.Protocol.Channels;
using Lunas.Protocol.Checkout;
using Lunas.Protocol.Wire;

namespace Lunas.Server.Payments;

/// <summary>
/// The status of a checkout session or of one payment attempt (spec section 3; REDIRECT: a 3-D Secure challenge waits).
/// A held card AUTHORIZE is stored SUCCESS (it holds the invoice) and reported PENDING until captured
/// (<see cref="SessionRecord.IsAuthorized"/>). VOIDED and REFUNDED follow a void or refund (post-payment spec).
/// </summary>
public enum TransactionStatus
{
    Pending,
    Success,
    Failed,
    Expired,
    Redirect,
    Voided,
    Refunded,
}

/// <summary>The <c>order.status</c> of the status API.</summary>
public enum OrderStatus
{
    Generated,
    Expired,
    Recovered,
    Cancelled,
}

/// <summary>The wire names of the statuses: what the API writes and what the database stores.</summary>
public static class StatusNames
{
    public static string Wire(this TransactionStatus status) => status switch
    {
        TransactionStatus.Pending => "PENDING",
        TransactionStatus.Success => "SUCCESS",
        TransactionStatus.Failed => "FAILED",
        TransactionStatus.Expired => "EXPIRED",
        TransactionStatus.Redirect => "REDIRECT",
        TransactionStatus.Voided => "VOIDED",
        TransactionStatus.Refunded => "REFUNDED",
    };

    public static string Wire(this OrderStatus status) => status switch
    {
        OrderStatus.Generated => "ORDER_GENERATED",
        OrderStatus.Expired => "ORDER_EXPIRED",
        OrderStatus.Recovered => "ORDER_RECOVERED",
        OrderStatus.Cancelled => "ORDER_CANCELLED",
    };

    public static TransactionStatus ParseTransaction(string wire)
    {
        foreach (var status in Enum.GetValues<TransactionStatus>())
        {
            if (status.Wire() == wire) return status;
        }
        throw new FormatException($"unknown transaction status '{wire}'");
    }

    public static OrderStatus ParseOrder(string wire)
    {
        foreach (var status in Enum.GetValues<OrderStatus>())
        {
            if (status.Wire() == wire) return status;
        }
        throw new FormatException($"unknown order status '{wire}'");
    }
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
        // One draw for both secrets (the token's 128 bits, the uuid's 21 digits), and each piece written in place: this
        // ran once per create, and three draws and four formatted dates were 2.6 % of a create's CPU.
        Span<byte> random = stackalloc byte[TokenSecretBytes + UuidRandomDigits];
        RandomNumberGenerator.Fill(random);
        // DOKU's uuid: "2225", the WIB time to the millisecond, then random digits; 40 digits in all.
        Span<char> uuid = stackalloc char[4 + 15 + UuidRandomDigits];
        "2225".CopyTo(uuid);
        Written(wib.TryFormat(uuid[4..], out var n, "yyMMddHHmmssfff", CultureInfo.InvariantCulture), n, 15);
        for (var i = 0; i < UuidRandomDigits; i++)
        {
            uuid[19 + i] = (char)('0' + random[TokenSecretBytes + i] % 10);
        }
        // DOKU's token_id is hex digits plus a WIB stamp whose month field is the minute ("yyyymmddHHmmssSSS"); the
        // stamp is reproduced. The token is the customer's whole authority over the page, so beyond its time prefix it
        // carries 128 fresh random bits, not the session id (which the merchant API shows). 12 hex digits of the time
        // (UUIDv7's millisecond prefix) lead, so the token's unique index still grows at its right edge (a fully random
        // key dirtied a random page per create: measured 6,900 → 5,500 creates/s).
        Span<char> token = stackalloc char[12 + 2 * TokenSecretBytes + 17];
        sessionId.AsSpan(0, 12).CopyTo(token);
        Written(Convert.TryToHexStringLower(random[..TokenSecretBytes], token[12..], out n), n, 2 * TokenSecretBytes);
        Written(wib.TryFormat(token[(12 + 2 * TokenSecretBytes)..], out n, "yyyymmddHHmmssfff", CultureInfo.InvariantCulture), n, 17);
        return new SessionIdentity(sessionId, token.ToString(), uuid.ToString(), now, now.AddMinutes(dueMinutes));
    }

    private const int TokenSecretBytes = 16, UuidRandomDigits = 21;

    /// <summary>A piece written in place must fill its slot exactly: never a short token or uuid with NULs in it.</summary>
    private static void Written(bool done, int written, int expected)
    {
        if (!done || written != expected) throw new System.Diagnostics.UnreachableException($"wrote {written} of {expected} characters");
    }

    /// <summary><c>expired_date</c>: <c>yyyyMMddHHmmss</c> in UTC+7.</summary>
    public string ExpiredDate => DokuTime.FormatWib(ExpiresAt);

}

/// <summary>A checkout session as stored (table <c>checkout_sessions</c>), with the create request it came from.</summary>
public sealed record SessionRecord
{
    public required string SessionId { get; init; }
    public required string TokenId { get; init; }
    public required string MerchantId { get; init; }
    public required string MerchantName { get; init; }
    public required string RequestId { get; init; }
    public required string InvoiceNumber { get; init; }
    public required long Amount { get; init; }
    public required TransactionStatus Status { get; init; }
    public required OrderStatus OrderStatus { get; init; }
    public string? Channel { get; init; }
    public string? PaidAttemptId { get; init; }
    public required IReadOnlyList<string> PaymentMethods { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? TransactionDate { get; init; }
    public DateTimeOffset? RecoveredAt { get; init; }

    /// <summary>The merchant's sandbox clock offset, read with the session (<see cref="MerchantClock"/>).</summary>
    public TimeSpan ClockOffset { get; init; }

    /// <summary>A card AUTHORIZE's id (kept after capture); its hold lasts until <see cref="HoldUntil"/> unless captured.</summary>
    public string? AuthorizeId { get; init; }
    public DateTimeOffset? HoldUntil { get; init; }
    public long? CapturedAmount { get; init; }
    public long RefundedAmount { get; init; }

    /// <summary>The settlement cut-off after the sale or capture: before it a card can only be voided in full.</summary>
    public DateTimeOffset? SettlesAt { get; init; }

    /// <summary>Authorized and not yet captured, voided or lapsed: reported PENDING with type AUTHORIZE.</summary>
    public bool IsAuthorized => Status == TransactionStatus.Success && HoldUntil is not null;

    /// <summary>What the customer paid (or has on hold): the captured amount after a capture, else the order amount.</summary>
    public long PaidAmount => CapturedAmount ?? Amount;

    /// <summary>Some session of this invoice (this one or another) is paid: nothing more may be paid for it.</summary>
    public bool InvoicePaid { get; init; }

    public required string RequestBody { get; init; }

    private CheckoutRequest? _request;

    /// <summary>The create-payment body, parsed again on demand (it was valid when stored).</summary>
    public CheckoutRequest Request => _request ??= CheckoutRequestReader.Read(System.Text.Encoding.UTF8.GetBytes(RequestBody), new ValidationErrors()) ?? new CheckoutRequest();

    /// <summary>
    /// The order FAILED on a channel that honours <c>disable_retry_payment</c>, and the order asked for it: the failure
    /// is final (no other channel, no expiry, no recovery).
    /// </summary>
    public bool RetryClosed { get; init; }

    /// <inheritdoc cref="PaymentRules.PayableMethods"/>
    public IReadOnlyList<string> PayableMethods => PaymentRules.PayableMethods(this);

    public PaymentMethod? ChannelMethod => Protocol.Channels.PaymentMethods.Find(Channel);
}

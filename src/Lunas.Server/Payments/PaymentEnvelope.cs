using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Lunas.Protocol.Channels;
using Lunas.Protocol.Wire;
using Lunas.Server.Infrastructure;

namespace Lunas.Server.Payments;

/// <summary>
/// The status/notification body of spec sections 3 and 4: service, acquirer, channel, order, transaction, and the
/// block of the channel used. One writer, so the status API and the notification can never disagree.
/// </summary>
public static class PaymentEnvelope
{
    /// <param name="attempt">The attempt the body describes: the paid one, else the latest; null before a channel is chosen.</param>
    /// <param name="withOrderStatus">The status API carries order.status; notifications do not.</param>
    /// <param name="adjustment">The capture, void or refund the body reports, if any (its own notification, its status).</param>
    public static byte[] Write(SessionRecord session, AttemptRecord? attempt, bool withOrderStatus, Adjustment? adjustment = null)
    {
        return JsonBody.Write((session, attempt, withOrderStatus, adjustment), static (w, s) =>
        {
            var (session, attempt, withOrderStatus, adjustment) = s;
            var method = attempt?.Method;
            w.WriteStartObject();
            w.WriteStartObject("service");
            NullableString(w, "id", method?.ServiceId);
            w.WriteEndObject();
            w.WriteStartObject("acquirer");
            NullableString(w, "id", method is null ? null : AcquirerId(method, attempt!));
            w.WriteEndObject();
            w.WriteStartObject("channel");
            NullableString(w, "id", method?.Value);
            w.WriteEndObject();

            w.WriteStartObject("order");
            w.WriteString("invoice_number", session.InvoiceNumber);
            w.WriteNumber("amount", session.Amount);
            if (withOrderStatus) w.WriteString("status", session.OrderStatus.Wire());
            w.WriteEndObject();

            WriteTransaction(w, session, attempt, adjustment);
            if (method is not null)
            {
                WriteBlock(w, session, attempt!, method, adjustment);
            }
            WriteRefund(w, session, adjustment);
            // DOKU's card notification carries the authorization's id at the top level too.
            if (!withOrderStatus && session.AuthorizeId is { } authorizeId) w.WriteString("authorize_id", authorizeId);
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// <c>transaction.status</c> as reported: a held authorization is PENDING until captured; a capture is SUCCESS, a
    /// void VOIDED, a refund REFUNDED.
    /// </summary>
    public static string ReportedStatus(SessionRecord session, Adjustment? adjustment) => adjustment?.Type switch
    {
        "CAPTURE" => TransactionStatus.Success.Wire(),
        "VOID" => TransactionStatus.Voided.Wire(),
        "PARTIAL_REFUND" or "FULL_REFUND" => TransactionStatus.Refunded.Wire(),
        _ => session.IsAuthorized ? TransactionStatus.Pending.Wire() : session.Status.Wire(),
    };

    private static void WriteTransaction(Utf8JsonWriter w, SessionRecord session, AttemptRecord? attempt, Adjustment? adjustment)
    {
        w.WriteStartObject("transaction");
        w.WriteString("status", ReportedStatus(session, adjustment));
        w.WriteString("date", Iso(adjustment?.At ?? session.TransactionDate ?? session.CreatedAt));
        w.WriteString("original_request_id", session.RequestId);
        if (attempt?.Method.Family == ChannelFamily.Card)
        {
            w.WriteString("type", CardType(session, attempt, adjustment));
        }
        if ((adjustment?.Amount ?? session.CapturedAmount) is { } amount) w.WriteNumber("amount", amount);
        w.WriteEndObject();
    }

    private static string CardType(SessionRecord session, AttemptRecord attempt, Adjustment? adjustment)
        => adjustment?.Type ?? (session.Status == TransactionStatus.Voided ? "VOID"
            : session.CapturedAmount is not null ? "CAPTURE"
            : attempt.Details.TransactionType ?? session.Request.Payment?.Type ?? "SALE");

    /// <summary><c>refund</c>: the amount this void or refund returned, and the total returned so far.</summary>
    private static void WriteRefund(Utf8JsonWriter w, SessionRecord session, Adjustment? adjustment)
    {
        if (adjustment is not { Type: "VOID" or "PARTIAL_REFUND" or "FULL_REFUND" } && session.RefundedAmount == 0) return;
        w.WriteStartObject("refund");
        w.WriteNumber("amount", adjustment is { Type: not "CAPTURE" } ? adjustment.Amount : session.RefundedAmount);
        w.WriteNumber("total_refunded", session.RefundedAmount);
        w.WriteEndObject();
    }

    private static string AcquirerId(PaymentMethod method, AttemptRecord attempt)
        => method.Family == ChannelFamily.Qris && attempt.Details.Issuer is { Length: > 0 } issuer ? issuer : method.AcquirerId;

    private static void WriteBlock(Utf8JsonWriter w, SessionRecord session, AttemptRecord attempt, PaymentMethod method, Adjustment? adjustment)
    {
        var d = attempt.Details;
        var paid = attempt.Status == TransactionStatus.Success;
        switch (method.Family)
        {
            case ChannelFamily.VirtualAccount:
                WriteCodeBlocks(w, session, attempt, "virtual_account", "virtual_account_number", paid, paidWithDate: true);
                break;
            case ChannelFamily.ConvenienceStore:
                WriteCodeBlocks(w, session, attempt, "online_to_offline", "payment_code", paid, paidWithDate: false);
                break;
            case ChannelFamily.Card:
            case ChannelFamily.DirectDebit:
                w.WriteStartObject("card_payment");
                NullableString(w, "masked_card_number", d.MaskedCardNumber);
                NullableString(w, "approval_code", d.ApprovalCode);
                NullableString(w, "response_code", d.ResponseCode);
                NullableString(w, "response_message", ResponseMessage(adjustment) ?? d.ResponseMessage);
                if (d.Tenor is { } installment) w.WriteNumber("installment_tenor", installment);
                CardExtras(w, session, adjustment);
                w.WriteEndObject();
                break;
            case ChannelFamily.EMoney:
            case ChannelFamily.OnlineBanking:
                w.WriteStartObject(method.Family == ChannelFamily.EMoney ? "emoney_payment" : "online_banking_payment");
                NullableString(w, "account_id", d.AccountId);
                NullableString(w, "approval_code", d.ApprovalCode);
                w.WriteEndObject();
                if (method.AcquirerId == "SHOPEE_PAY" && paid)
                {
                    w.WriteStartObject("shopeepay_payment");
                    WriteIdentifiers(w, WalletIdentifiers(session, attempt));
                    w.WriteEndObject();
                }
                break;
            case ChannelFamily.Paylater:
                w.WriteStartObject("peer_to_peer_info");
                w.WriteString("merchant_unique_reference", attempt.AttemptId);
                if (d.Tenor is { } tenor) w.WriteNumber("tenor", tenor);
                NullableString(w, "approval_code", d.ApprovalCode);
                if (method.AcquirerId == "AKULAKU" && paid) WriteIdentifiers(w, WalletIdentifiers(session, attempt));
                w.WriteEndObject();
                break;
            case ChannelFamily.Qris:
                w.WriteStartObject("qris_payment");
                w.WriteString("reference_number", attempt.PayCode);
                NullableString(w, "issuer", d.Issuer);
                NullableString(w, "approval_code", d.ApprovalCode);
                if (attempt.CompletedAt is { } at && paid) w.WriteString("date", Iso(at));
                w.WriteEndObject();
                break;
        }
    }

    private static string? ResponseMessage(Adjustment? adjustment) => adjustment?.Type switch
    {
        "VOID" => "Transaction Has Been Successfully Void",
        "PARTIAL_REFUND" or "FULL_REFUND" => "Transaction Has Been Successfully Refund",
        _ => null,
    };

    /// <summary>An authorization's fields (DOKU's check status), and the Request-Id of a capture, void or refund.</summary>
    private static void CardExtras(Utf8JsonWriter w, SessionRecord session, Adjustment? adjustment)
    {
        if (session.AuthorizeId is null && adjustment is null) return;
        if (session.AuthorizeId is { } authorizeId) w.WriteString("authorize_id", authorizeId);
        w.WriteString("type", adjustment?.Type ?? (session.Status == TransactionStatus.Voided ? "VOID"
            : session.CapturedAmount is not null ? "CAPTURE" : "AUTHORIZE"));
        w.WriteString("transaction_status", "SUCCESS");
        if (adjustment is not null) w.WriteString("request_id", adjustment.RequestId);
    }

    /// <summary>
    /// The identifiers a ShopeePay or Akulaku notification carries, which a refund must send back: fixed by the attempt,
    /// so the refund can be matched without storing them.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> WalletIdentifiers(SessionRecord session, AttemptRecord attempt)
    {
        var digits = PaymentStore.AuthorizeIdOf(attempt);
        return attempt.Method.Family == ChannelFamily.Paylater
            ? [("ORDER_ID", digits[..10]), ("AKULAKU_UNIQUE_REFERENCE", session.MerchantId + attempt.AttemptId)]
            : [("PAYMENT_REFERENCE_ID", "REF-" + attempt.AttemptId[^8..].ToUpperInvariant()), ("TRANSACTION_SN", digits[..15])];
    }

    private static void WriteIdentifiers(Utf8JsonWriter w, IReadOnlyList<(string Name, string Value)> identifiers)
    {
        w.WriteStartArray("identifier");
        foreach (var (name, value) in identifiers) Identifier(w, name, value);
        w.WriteEndArray();
    }

    /// <summary>The <c>{prefix}_info</c> block of a pay-code channel, and once paid its <c>{prefix}_payment</c> block.</summary>
    private static void WriteCodeBlocks(Utf8JsonWriter w, SessionRecord session, AttemptRecord attempt, string prefix, string codeName,
        bool paid, bool paidWithDate)
    {
        w.WriteStartObject(prefix + "_info");
        w.WriteString(codeName, attempt.PayCode);
        w.WriteString("created_date", Wib(attempt.CreatedAt));
        w.WriteString("expired_date", Wib(session.ExpiresAt));
        w.WriteEndObject();
        if (!paid) return;
        w.WriteStartObject(prefix + "_payment");
        if (paidWithDate) w.WriteString("date", Wib(attempt.CompletedAt!.Value));
        Identifiers(w, attempt);
        w.WriteEndObject();
    }

    private static void Identifiers(Utf8JsonWriter w, AttemptRecord attempt)
    {
        w.WriteStartArray("identifier");
        Identifier(w, "REQUEST_ID", attempt.AttemptId);
        Identifier(w, "REFERENCE", attempt.Details.Reference ?? attempt.AttemptId[..12].ToUpperInvariant());
        if (attempt.Details.PaidBy is { } by) Identifier(w, "CHANNEL", by);
        w.WriteEndArray();
    }

    private static void Identifier(Utf8JsonWriter w, string name, string value)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("value", value);
        w.WriteEndObject();
    }

    private static void NullableString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }

    /// <summary>DOKU's UTC form, the same as its header timestamps.</summary>
    public static string Iso(DateTimeOffset instant) => Lunas.Protocol.Signing.DokuSignature.FormatTimestamp(instant);

    public static string Wib(DateTimeOffset instant) => DokuTime.FormatWib(instant);
}

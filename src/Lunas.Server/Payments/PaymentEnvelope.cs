using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Lunas.Protocol.Channels;
using Lunas.Protocol.Wire;

namespace Lunas.Server.Payments;

/// <summary>
/// The status/notification body of spec sections 3 and 4: service, acquirer, channel, order, transaction, and the
/// block of the channel used. One writer, so the status API and the notification can never disagree.
/// </summary>
public static class PaymentEnvelope
{
    /// <param name="attempt">The attempt the body describes: the paid one, else the latest; null before a channel is chosen.</param>
    /// <param name="withOrderStatus">The status API carries order.status; notifications do not.</param>
    public static byte[] Write(SessionRecord session, AttemptRecord? attempt, bool withOrderStatus)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, DokuJson.WriterOptions))
        {
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

            w.WriteStartObject("transaction");
            w.WriteString("status", session.Status.Wire());
            w.WriteString("date", Iso(session.TransactionDate ?? session.CreatedAt));
            w.WriteString("original_request_id", session.RequestId);
            if (method?.Family == ChannelFamily.Card)
            {
                w.WriteString("type", attempt!.Details.TransactionType ?? session.Request.Payment?.Type ?? "SALE");
            }
            w.WriteEndObject();

            if (method is not null)
            {
                WriteBlock(w, session, attempt!, method);
            }
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static string AcquirerId(PaymentMethod method, AttemptRecord attempt)
        => method.Family == ChannelFamily.Qris && attempt.Details.Issuer is { Length: > 0 } issuer ? issuer : method.AcquirerId;

    private static void WriteBlock(Utf8JsonWriter w, SessionRecord session, AttemptRecord attempt, PaymentMethod method)
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
                NullableString(w, "response_message", d.ResponseMessage);
                if (d.Tenor is { } installment) w.WriteNumber("installment_tenor", installment);
                w.WriteEndObject();
                break;
            case ChannelFamily.EMoney:
            case ChannelFamily.OnlineBanking:
                w.WriteStartObject(method.Family == ChannelFamily.EMoney ? "emoney_payment" : "online_banking_payment");
                NullableString(w, "account_id", d.AccountId);
                NullableString(w, "approval_code", d.ApprovalCode);
                w.WriteEndObject();
                break;
            case ChannelFamily.Paylater:
                w.WriteStartObject("peer_to_peer_info");
                w.WriteString("merchant_unique_reference", attempt.AttemptId);
                if (d.Tenor is { } tenor) w.WriteNumber("tenor", tenor);
                NullableString(w, "approval_code", d.ApprovalCode);
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

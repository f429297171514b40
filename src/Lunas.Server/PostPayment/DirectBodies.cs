using System.Buffers;
using System.Text.Json;
using Lunas.Protocol.Wire;
using Lunas.Server.Infrastructure;
using Lunas.Server.Payments;
using Lunas.Server.Security;

namespace Lunas.Server.PostPayment;

/// <summary>
/// The bodies of the post-payment endpoints: DOKU's Direct-API error (<c>{"error": {code, message, type}}</c>, plus
/// <c>message</c> for clients that read message[0]) and the success bodies of the post-payment spec.
/// </summary>
public static class DirectBodies
{
    public const string InvalidParameter = "INVALID_PARAMETER";
    public const string NotFound = "NOT_FOUND";
    public const string InvalidState = "INVALID_STATE";

    /// <summary>DOKU's observed answer when Cancel Order is not activated for the merchant, byte for byte.</summary>
    public static readonly byte[] CancelNotActivated =
        """{"error":{"message":"Merchant not support cancel order, please do activation through DOKU dashboard."}}"""u8.ToArray();

    public static OperationReply Error(int status, string code, string message, string? sessionId = null)
        => Error(status, code, [message], sessionId);

    /// <summary>The error object carries the messages joined; <c>message</c> lists them one by one.</summary>
    public static OperationReply Error(int status, string code, IReadOnlyList<string> messages, string? sessionId = null)
        => new(status, Write(w =>
        {
            w.WriteStartObject("error");
            w.WriteString("code", code);
            w.WriteString("message", string.Join("; ", messages));
            w.WriteString("type", TypeOf(code));
            w.WriteEndObject();
            w.WriteStartArray("message");
            foreach (var message in messages) w.WriteStringValue(message);
            w.WriteEndArray();
        }), sessionId);

    public static ApiReply Reply(this OperationReply reply) => new(reply.Status, reply.Body);

    private static string TypeOf(string code) => code switch
    {
        InvalidParameter => "Invalid Parameter",
        NotFound => "Not Found",
        InvalidState => "Invalid State",
        "DUPLICATE_REQUEST" => "Duplicate Request",
        _ => "Invalid Request",
    };

    /// <summary>The answer to a Request-Id used before: the first answer again with 409, or a 409 error for another body.</summary>
    public static ApiReply Replayed(Replay replay, string requestId)
        => replay.SameBody
            ? new ApiReply(409, System.Text.Encoding.UTF8.GetBytes(replay.Body))
            : Error(409, "DUPLICATE_REQUEST", $"Request-Id {requestId} was already used with a different body; use a new Request-Id for a new request").Reply();

    /// <summary>Section 1.3: the order is cancelled.</summary>
    public static byte[] Cancelled(SessionRecord session, string? note) => Write(w =>
    {
        w.WriteStartObject("order");
        w.WriteString("invoice_number", session.InvoiceNumber);
        w.WriteString("status", OrderStatus.Cancelled.Wire());
        w.WriteEndObject();
        w.WriteStartObject("payment");
        w.WriteString("original_request_id", session.RequestId);
        w.WriteEndObject();
        if (note is not null) w.WriteString("note", note);
        w.WriteStartObject("cancellation");
        w.WriteString("status", "SUCCESS");
        w.WriteString("date", PaymentEnvelope.Iso(session.TransactionDate ?? session.CreatedAt));
        w.WriteEndObject();
        w.WriteStartArray("message");
        w.WriteStringValue("SUCCESS");
        w.WriteEndArray();
    });

    /// <summary>Section 2.4: the capture, with the captured amount inside <c>payment</c>.</summary>
    public static byte[] Captured(SessionRecord session, AttemptRecord? attempt, Adjustment capture) => Write(w =>
    {
        w.WriteStartObject("order");
        w.WriteString("invoice_number", session.InvoiceNumber);
        w.WriteNumber("amount", session.Amount);
        w.WriteString("currency", "IDR");
        w.WriteEndObject();
        w.WriteStartObject("customer");
        if (session.Request.Customer?.Id is { } id) w.WriteString("id", id);
        else w.WriteNull("id");
        w.WriteEndObject();
        w.WriteStartObject("payment");
        w.WriteString("type", "CAPTURE");
        w.WriteString("request_id", capture.RequestId);
        w.WriteString("response_code", "00");
        w.WriteString("response_message", "Approved");
        w.WriteString("status", "SUCCESS");
        w.WriteString("authorize_id", session.AuthorizeId);
        w.WriteString("approval_code", attempt?.Details.ApprovalCode);
        w.WriteNumber("capture_amount", capture.Amount);
        w.WriteEndObject();
        w.WriteStartObject("card");
        w.WriteString("masked", attempt?.Details.MaskedCardNumber);
        w.WriteString("type", "CREDIT");
        w.WriteString("brand", attempt?.Details.CardBrand);
        w.WriteEndObject();
    });

    /// <summary>Section 4.1: a card void or refund, SUCCESS with an approval code, or FAILED with why.</summary>
    public static byte[] CardRefund(string invoice, string originalRequestId, long amount, string type, string? approvalCode, string? failure)
        => Write(w =>
        {
            w.WriteStartObject("order");
            w.WriteString("invoice_number", invoice);
            w.WriteEndObject();
            w.WriteStartObject("payment");
            w.WriteString("original_request_id", originalRequestId);
            w.WriteEndObject();
            w.WriteStartObject("refund");
            w.WriteNumber("amount", amount);
            w.WriteString("type", type);
            w.WriteString("status", failure is null ? "SUCCESS" : "FAILED");
            w.WriteString("message", failure ?? "Approved");
            if (failure is null) w.WriteString("approval_code", approvalCode);
            w.WriteEndObject();
        });

    /// <summary>The ShopeePay and Akulaku refund answer (DOKU's is not published): the refund, with its status.</summary>
    public static byte[] FullRefund(SessionRecord session, Adjustment refund) => Write(w =>
    {
        w.WriteStartObject("order");
        w.WriteString("invoice_number", session.InvoiceNumber);
        w.WriteNumber("amount", session.Amount);
        w.WriteEndObject();
        w.WriteStartObject("refund");
        w.WriteNumber("amount", refund.Amount);
        w.WriteString("type", refund.Type);
        w.WriteString("status", "SUCCESS");
        w.WriteString("request_id", refund.RequestId);
        w.WriteString("date", PaymentEnvelope.Iso(refund.At));
        w.WriteEndObject();
        w.WriteStartArray("message");
        w.WriteStringValue("SUCCESS");
        w.WriteEndArray();
    });

    private static byte[] Write(Action<Utf8JsonWriter> members) => JsonBody.Write(members, static (w, members) =>
    {
        w.WriteStartObject();
        members(w);
        w.WriteEndObject();
    });
}

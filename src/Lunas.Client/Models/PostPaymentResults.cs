using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lunas.Client;

/// <summary>
/// What every post-payment answer (cancel, capture, refund) carries besides its body: the Request-Id it was sent with,
/// whether it is a replay, and the body as received. Fields this version does not know are kept in
/// <see cref="AdditionalProperties"/>.
/// </summary>
public abstract class DokuOperationResult
{
    /// <summary><c>message</c>, e.g. <c>["SUCCESS"]</c>, when the answer has one.</summary>
    [JsonPropertyName("message")]
    [JsonConverter(typeof(StringOrListConverter))]
    public List<string>? Message { get; set; }

    /// <summary>Top-level fields this version does not know, as JSON.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>
    /// The Request-Id the call was sent with: the operation's idempotency key, and for a refund the id its status can be
    /// read by (<c>GetStatusAsync(result.RequestId)</c>).
    /// </summary>
    [JsonIgnore] public string RequestId { get; set; } = "";

    /// <summary>
    /// True when DOKU answered 409 with the original body: this Request-Id had already done the operation (typically a
    /// retry after a lost answer), and this is that answer; nothing was done twice.
    /// </summary>
    [JsonIgnore] public bool Replayed { get; set; }

    /// <summary>The response body exactly as received, for logs and audits.</summary>
    [JsonIgnore] public string RawJson { get; set; } = "";

    /// <summary>The answer has what its kind always has; otherwise it is not taken as a success.</summary>
    internal abstract bool IsComplete { get; }
}

/// <summary>The answer of <c>POST /checkout/v3/cancellations</c>.</summary>
public sealed class CancelOrderResult : DokuOperationResult
{
    /// <summary><c>order</c>: the invoice and its status, <c>ORDER_CANCELLED</c>.</summary>
    [JsonPropertyName("order")] public DokuResultOrder Order { get; set; } = new();

    /// <summary><c>payment.original_request_id</c>: the Request-Id of the checkout that was cancelled.</summary>
    [JsonPropertyName("payment")] public DokuOriginalPayment? Payment { get; set; }

    /// <summary><c>note</c>, echoed.</summary>
    [JsonPropertyName("note")] public string? Note { get; set; }

    /// <summary><c>cancellation</c>: status <c>SUCCESS</c> and date.</summary>
    [JsonPropertyName("cancellation")] public DokuCancellation? Cancellation { get; set; }

    /// <summary>True when the order is cancelled (<c>order.status</c> <c>ORDER_CANCELLED</c>, or <c>cancellation.status</c> <c>SUCCESS</c>).</summary>
    [JsonIgnore]
    public bool IsCancelled => Order.Status == DokuOrderStatusValue.Cancelled || Cancellation?.Status == DokuOperationStatus.Success;

    internal override bool IsComplete => Order.InvoiceNumber.Length > 0;
}

/// <summary>The answer of <c>POST /credit-card/capture</c>: check <see cref="IsSuccess"/> (an issuer may decline with HTTP 200).</summary>
public sealed class CaptureResult : DokuOperationResult
{
    /// <summary><c>order</c>: invoice, amount (the authorized one, unchanged) and currency.</summary>
    [JsonPropertyName("order")] public DokuResultOrder? Order { get; set; }

    /// <summary><c>customer.id</c>, when sent.</summary>
    [JsonPropertyName("customer")] public DokuIdBlock? Customer { get; set; }

    /// <summary><c>payment</c>: the capture's status, amount, authorization and response codes.</summary>
    [JsonPropertyName("payment")] public DokuCapturePayment Payment { get; set; } = new();

    /// <summary><c>card</c>: masked number, type and brand, when sent.</summary>
    [JsonPropertyName("card")] public DokuCardInfo? Card { get; set; }

    /// <summary>True when <c>payment.status</c> is <c>SUCCESS</c>: the amount is captured.</summary>
    [JsonIgnore] public bool IsSuccess => Payment.Status == DokuOperationStatus.Success;

    internal override bool IsComplete => Payment.Status is { Length: > 0 };
}

/// <summary>
/// The answer of <c>POST /cancellation/credit-card/refund</c>: check <see cref="IsSuccess"/> (a partial amount before
/// settlement is answered 200 with <c>refund.status: "FAILED"</c>) and <see cref="DokuRefund.Type"/>.
/// </summary>
public sealed class CardRefundResult : DokuOperationResult
{
    /// <summary><c>order.invoice_number</c>.</summary>
    [JsonPropertyName("order")] public DokuResultOrder? Order { get; set; }

    /// <summary><c>payment.original_request_id</c>, echoed.</summary>
    [JsonPropertyName("payment")] public DokuOriginalPayment? Payment { get; set; }

    /// <summary><c>refund</c>: amount, type (<c>VOID</c>, <c>FULL_REFUND</c>, <c>PARTIAL_REFUND</c>, …), status, message, approval code.</summary>
    [JsonPropertyName("refund")] public DokuRefund Refund { get; set; } = new();

    /// <summary>True when <c>refund.status</c> is <c>SUCCESS</c>.</summary>
    [JsonIgnore] public bool IsSuccess => Refund.Status == DokuOperationStatus.Success;

    internal override bool IsComplete => Refund.Status is { Length: > 0 };
}

/// <summary>
/// The answer of the ShopeePay and Akulaku refunds (<c>/shopeepay-emoney/v2/refund</c>,
/// <c>/akulaku-peer-to-peer/v2/refund</c>). DOKU does not publish these bodies: the known blocks are read, the rest is in
/// <see cref="DokuOperationResult.AdditionalProperties"/>, and an HTTP 200 without a <c>refund.status</c> counts as success.
/// </summary>
public sealed class WalletRefundResult : DokuOperationResult
{
    /// <summary><c>order</c>: the invoice (and amount, when sent).</summary>
    [JsonPropertyName("order")] public DokuResultOrder? Order { get; set; }

    /// <summary><c>refund</c>, when sent: amount, type, status.</summary>
    [JsonPropertyName("refund")] public DokuRefund? Refund { get; set; }

    /// <summary>True unless <c>refund.status</c> says otherwise than <c>SUCCESS</c>.</summary>
    [JsonIgnore] public bool IsSuccess => (Refund?.Status ?? DokuOperationStatus.Success) == DokuOperationStatus.Success;

    internal override bool IsComplete => true;
}

/// <summary>Values of <c>payment.status</c> (capture), <c>refund.status</c> and <c>cancellation.status</c>.</summary>
public static class DokuOperationStatus
{
    /// <summary>Done.</summary>
    public const string Success = "SUCCESS";

    /// <summary>Refused (an issuer decline, a partial void); nothing changed.</summary>
    public const string Failed = "FAILED";

    /// <summary>Not decided yet.</summary>
    public const string Pending = "PENDING";
}

/// <summary>Values of <c>refund.type</c>.</summary>
public static class DokuRefundType
{
    /// <summary>Given back before settlement (or an uncaptured authorization released): the full amount only.</summary>
    public const string Void = "VOID";

    /// <summary>After settlement, the rest of the paid amount.</summary>
    public const string FullRefund = "FULL_REFUND";

    /// <summary>After settlement, part of the paid amount; more partial refunds may follow.</summary>
    public const string PartialRefund = "PARTIAL_REFUND";

    /// <summary>Queued for DOKU's manual processing (merchants without online refund).</summary>
    public const string ManualFullRefund = "MANUAL_FULL_REFUND";

    /// <summary>Queued for DOKU's manual processing, partial.</summary>
    public const string ManualPartialRefund = "MANUAL_PARTIAL_REFUND";
}

/// <summary>The <c>order</c> object of a post-payment answer.</summary>
public sealed class DokuResultOrder
{
    /// <summary>The merchant's invoice number.</summary>
    [JsonPropertyName("invoice_number")] public string InvoiceNumber { get; set; } = "";

    /// <summary>The order amount in rupiah, when sent (a capture keeps the authorized amount here).</summary>
    [JsonPropertyName("amount")] public long? Amount { get; set; }

    /// <summary>The currency, when sent.</summary>
    [JsonPropertyName("currency")] public string? Currency { get; set; }

    /// <summary>The order status, when sent: <c>ORDER_CANCELLED</c> after a cancel.</summary>
    [JsonPropertyName("status")] public string? Status { get; set; }
}

/// <summary>A <c>payment</c> object naming the checkout by its Request-Id.</summary>
public sealed class DokuOriginalPayment
{
    /// <summary>The Request-Id of the create-payment call (or of the capture).</summary>
    [JsonPropertyName("original_request_id")] public string? OriginalRequestId { get; set; }
}

/// <summary>The <c>cancellation</c> object of a cancel answer.</summary>
public sealed class DokuCancellation
{
    /// <summary><c>SUCCESS</c>.</summary>
    [JsonPropertyName("status")] public string? Status { get; set; }

    /// <summary>When the order was cancelled, UTC (<c>yyyy-MM-ddTHH:mm:ssZ</c>).</summary>
    [JsonPropertyName("date")] public string? Date { get; set; }
}

/// <summary>The <c>payment</c> object of a capture answer.</summary>
public sealed class DokuCapturePayment
{
    /// <summary><c>CAPTURE</c>.</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }

    /// <summary>The capture request's Request-Id.</summary>
    [JsonPropertyName("request_id")] public string? RequestId { get; set; }

    /// <summary><c>SUCCESS</c>, <c>FAILED</c> or <c>PENDING</c> (see <see cref="DokuOperationStatus"/>).</summary>
    [JsonPropertyName("status")] public string? Status { get; set; }

    /// <summary>The authorization that was captured.</summary>
    [JsonPropertyName("authorize_id")] public string? AuthorizeId { get; set; }

    /// <summary>The captured amount in rupiah, when sent.</summary>
    [JsonPropertyName("capture_amount")] public long? CaptureAmount { get; set; }

    /// <summary>The acquirer's response code, <c>00</c> when approved.</summary>
    [JsonPropertyName("response_code")] public string? ResponseCode { get; set; }

    /// <summary>The acquirer's response message.</summary>
    [JsonPropertyName("response_message")] public string? ResponseMessage { get; set; }

    /// <summary>The issuer's approval code.</summary>
    [JsonPropertyName("approval_code")] public string? ApprovalCode { get; set; }
}

/// <summary>The <c>card</c> object of a capture answer.</summary>
public sealed class DokuCardInfo
{
    /// <summary>The masked card number.</summary>
    [JsonPropertyName("masked")] public string? Masked { get; set; }

    /// <summary><c>CREDIT</c> or <c>DEBIT</c>.</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }

    /// <summary>The issuing bank.</summary>
    [JsonPropertyName("issuer")] public string? Issuer { get; set; }

    /// <summary><c>VISA</c>, <c>MASTER</c>, <c>JCB</c>, <c>AMEX</c>.</summary>
    [JsonPropertyName("brand")] public string? Brand { get; set; }
}

/// <summary>
/// A <c>refund</c> object: in a refund answer (amount, type, status, message, approval code) and in the status API and
/// notifications after a void or refund (amount, total refunded).
/// </summary>
public sealed class DokuRefund
{
    /// <summary>The amount of this refund in rupiah (DOKU may send it as a string; either form is read).</summary>
    [JsonPropertyName("amount")] public long? Amount { get; set; }

    /// <summary>Status API and notifications: everything refunded so far, so partial can be told from full.</summary>
    [JsonPropertyName("total_refunded")] public long? TotalRefunded { get; set; }

    /// <summary><c>VOID</c>, <c>FULL_REFUND</c>, <c>PARTIAL_REFUND</c>, … (see <see cref="DokuRefundType"/>).</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }

    /// <summary><c>SUCCESS</c> or <c>FAILED</c>.</summary>
    [JsonPropertyName("status")] public string? Status { get; set; }

    /// <summary>Why, e.g. <c>Approved</c>, or what failed.</summary>
    [JsonPropertyName("message")] public string? Message { get; set; }

    /// <summary>The acquirer's approval code; only on success.</summary>
    [JsonPropertyName("approval_code")] public string? ApprovalCode { get; set; }
}

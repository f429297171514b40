using System.Text.Json.Serialization;
using Lunas.Protocol.Checkout;
using Lunas.Protocol.Wire;

namespace Lunas.Client;

/// <summary>
/// Cancel an unpaid checkout order (<c>POST /checkout/v3/cancellations</c>): the checkout link stops working and the
/// customer can no longer pay it. Sent as <c>{"order": {"invoice_number"}, "payment": {"original_request_id"}, "note"}</c>.
/// </summary>
public sealed class CancelOrderRequest
{
    /// <summary><c>order.invoice_number</c> (mandatory): the invoice of the checkout order.</summary>
    [JsonIgnore] public string InvoiceNumber { get; set; } = "";

    /// <summary>
    /// <c>payment.original_request_id</c>: the Request-Id of the create-payment call
    /// (<see cref="CheckoutResponse.RequestId"/>). It picks that checkout session of the invoice; when null, the newest
    /// unpaid one is cancelled.
    /// </summary>
    [JsonIgnore] public string? OriginalRequestId { get; set; }

    /// <summary><c>note</c>: an optional reason, at most 255 characters.</summary>
    [JsonPropertyName("note"), JsonPropertyOrder(1)] public string? Note { get; set; }

    [JsonInclude, JsonPropertyName("order")] internal InvoiceBlock Order => new(InvoiceNumber);

    [JsonInclude, JsonPropertyName("payment")]
    internal OriginalRequestBlock? Payment => string.IsNullOrEmpty(OriginalRequestId) ? null : new(OriginalRequestId);

    /// <summary>Every obvious problem (blank invoice, lengths), each starting with the field path; empty when none.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new ValidationErrors();
        PostPaymentRules.Invoice(InvoiceNumber, errors);
        PostPaymentRules.RequestId(OriginalRequestId, "payment.original_request_id", required: false, errors);
        if (Note is { Length: > CheckoutRules.TextLength })
        {
            errors.Add("note", $"max length is {CheckoutRules.TextLength}");
        }
        return errors.Messages();
    }
}

/// <summary>
/// Capture a card authorization (<c>POST /credit-card/capture</c>): a checkout created with
/// <c>payment.type: "AUTHORIZE"</c> and paid by card holds the amount until it is captured, once, in full or in part.
/// Sent as <c>{"payment": {"authorize_id", "capture_amount"}}</c>.
/// </summary>
public sealed class CaptureRequest
{
    /// <summary>
    /// <c>payment.authorize_id</c> (mandatory): from the payment notification (<see cref="DokuPaymentEnvelope.AuthorizeId"/>)
    /// or the status API (<see cref="DokuCardPayment.AuthorizeId"/>).
    /// </summary>
    [JsonIgnore] public string AuthorizeId { get; set; } = "";

    /// <summary><c>payment.capture_amount</c> in rupiah, at most the authorized amount; null captures it all.</summary>
    [JsonIgnore] public long? Amount { get; set; }

    [JsonInclude, JsonPropertyName("payment")] internal CaptureBlock Payment => new(AuthorizeId, Amount);

    /// <summary>A capture of the authorization <paramref name="payment"/> reports (notification or status), in full or of <paramref name="amount"/>.</summary>
    /// <param name="payment">An authorized card payment's notification or status.</param>
    /// <param name="amount">The amount to capture; null for all of it.</param>
    public static CaptureRequest For(DokuPaymentEnvelope payment, long? amount = null)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return new CaptureRequest { AuthorizeId = payment.CardAuthorizeId ?? "", Amount = amount };
    }

    /// <summary>Every obvious problem (blank authorize id, amount not positive), each starting with the field path; empty when none.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(AuthorizeId))
        {
            errors.Add("payment.authorize_id", "Must Not Be Blank");
        }
        PostPaymentRules.Amount(Amount, "payment.capture_amount", required: false, errors);
        return errors.Messages();
    }
}

/// <summary>
/// Void or refund a card payment (<c>POST /cancellation/credit-card/refund</c>). Before settlement only the full amount
/// can be given back, as a <c>VOID</c> (also of an uncaptured authorization); after it, partial refunds until the paid
/// amount is reached. Sent as <c>{"order": {"invoice_number"}, "payment": {"original_request_id"}, "refund": {"amount"}}</c>.
/// </summary>
public sealed class CardRefundRequest
{
    /// <summary><c>order.invoice_number</c> (mandatory).</summary>
    [JsonIgnore] public string InvoiceNumber { get; set; } = "";

    /// <summary>
    /// <c>payment.original_request_id</c> (mandatory): the Request-Id of the create-payment call
    /// (<see cref="DokuTransaction.OriginalRequestId"/> in the notification), or of the capture for a captured authorization.
    /// </summary>
    [JsonIgnore] public string OriginalRequestId { get; set; } = "";

    /// <summary><c>refund.amount</c> in rupiah (mandatory, positive): the order amount for a void or a full refund.</summary>
    [JsonIgnore] public long Amount { get; set; }

    [JsonInclude, JsonPropertyName("order")] internal InvoiceBlock Order => new(InvoiceNumber);

    [JsonInclude, JsonPropertyName("payment")] internal OriginalRequestBlock Payment => new(OriginalRequestId);

    [JsonInclude, JsonPropertyName("refund")] internal AmountBlock Refund => new(Amount);

    /// <summary>A refund of <paramref name="amount"/> of the card payment <paramref name="payment"/> reports (notification or status).</summary>
    /// <param name="payment">The paid (or authorized) card payment's notification or status.</param>
    /// <param name="amount">The amount to give back; the order amount for a void or a full refund.</param>
    public static CardRefundRequest For(DokuPaymentEnvelope payment, long amount)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return new CardRefundRequest
        {
            InvoiceNumber = payment.Order.InvoiceNumber,
            OriginalRequestId = payment.Transaction.OriginalRequestId ?? "",
            Amount = amount,
        };
    }

    /// <summary>Every obvious problem (blank fields, amount not positive), each starting with the field path; empty when none.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new ValidationErrors();
        PostPaymentRules.Invoice(InvoiceNumber, errors);
        PostPaymentRules.RequestId(OriginalRequestId, "payment.original_request_id", required: true, errors);
        PostPaymentRules.Amount(Amount, "refund.amount", required: true, errors);
        return errors.Messages();
    }
}

/// <summary>
/// Refund a ShopeePay payment in full (<c>POST /shopeepay-emoney/v2/refund</c>), identified by the
/// <c>shopeepay_payment.identifier</c> list of its payment notification. Sent as
/// <c>{"order": {"invoice_number"}, "shopeepay_payment": {"identifier": [{"name", "value"}]}}</c>.
/// </summary>
public sealed class ShopeePayRefundRequest
{
    /// <summary><c>order.invoice_number</c> (mandatory).</summary>
    [JsonIgnore] public string InvoiceNumber { get; set; } = "";

    /// <summary><c>shopeepay_payment.identifier</c> (mandatory): exactly as the payment notification sent them.</summary>
    [JsonIgnore] public List<DokuIdentifier> Identifiers { get; set; } = [];

    [JsonInclude, JsonPropertyName("order")] internal InvoiceBlock Order => new(InvoiceNumber);

    [JsonInclude, JsonPropertyName("shopeepay_payment")] internal IdentifierBlock ShopeePayPayment => new(Identifiers);

    /// <summary>The refund of the ShopeePay payment <paramref name="payment"/> reports (its notification, or its status).</summary>
    /// <param name="payment">The paid ShopeePay payment's notification or status.</param>
    public static ShopeePayRefundRequest For(DokuPaymentEnvelope payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return new ShopeePayRefundRequest
        {
            InvoiceNumber = payment.Order.InvoiceNumber,
            Identifiers = [.. payment.ShopeePayPayment?.Identifier ?? []],
        };
    }

    /// <summary>Every obvious problem (blank invoice, no identifiers), each starting with the field path; empty when none.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new ValidationErrors();
        PostPaymentRules.Invoice(InvoiceNumber, errors);
        PostPaymentRules.Identifiers(Identifiers, "shopeepay_payment.identifier", errors);
        return errors.Messages();
    }
}

/// <summary>
/// Refund an Akulaku paylater payment in full (<c>POST /akulaku-peer-to-peer/v2/refund</c>), identified by the
/// <c>peer_to_peer_info</c> of its payment notification. Sent as <c>{"order": {"invoice_number"}, "payment":
/// {"merchant_unique_reference", "identifier": [...]}, "refund": {"merchant_unique_reference"}}</c>.
/// </summary>
public sealed class AkulakuRefundRequest
{
    /// <summary><c>order.invoice_number</c> (mandatory).</summary>
    [JsonIgnore] public string InvoiceNumber { get; set; } = "";

    /// <summary><c>payment.merchant_unique_reference</c>: the payment's, from <see cref="DokuPeerToPeerInfo.MerchantUniqueReference"/>.</summary>
    [JsonIgnore] public string? PaymentReference { get; set; }

    /// <summary><c>payment.identifier</c> (mandatory): exactly as the payment notification's <c>peer_to_peer_info.identifier</c>.</summary>
    [JsonIgnore] public List<DokuIdentifier> Identifiers { get; set; } = [];

    /// <summary><c>refund.merchant_unique_reference</c> (mandatory): a new reference of yours for this refund.</summary>
    [JsonIgnore] public string RefundReference { get; set; } = "";

    [JsonInclude, JsonPropertyName("order")] internal InvoiceBlock Order => new(InvoiceNumber);

    [JsonInclude, JsonPropertyName("payment")] internal ReferencedIdentifierBlock Payment => new(PaymentReference, Identifiers);

    [JsonInclude, JsonPropertyName("refund")] internal ReferenceBlock Refund => new(RefundReference);

    /// <summary>The refund of the Akulaku payment <paramref name="payment"/> reports, under your <paramref name="refundReference"/>.</summary>
    /// <param name="payment">The paid Akulaku payment's notification or status.</param>
    /// <param name="refundReference">A new reference of yours for this refund.</param>
    public static AkulakuRefundRequest For(DokuPaymentEnvelope payment, string refundReference)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return new AkulakuRefundRequest
        {
            InvoiceNumber = payment.Order.InvoiceNumber,
            PaymentReference = payment.PeerToPeerInfo?.MerchantUniqueReference,
            Identifiers = [.. payment.PeerToPeerInfo?.Identifier ?? []],
            RefundReference = refundReference,
        };
    }

    /// <summary>Every obvious problem (blank invoice or refund reference, no identifiers), each starting with the field path; empty when none.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new ValidationErrors();
        PostPaymentRules.Invoice(InvoiceNumber, errors);
        PostPaymentRules.Identifiers(Identifiers, "payment.identifier", errors);
        if (string.IsNullOrWhiteSpace(RefundReference))
        {
            errors.Add("refund.merchant_unique_reference", "must be filled");
        }
        return errors.Messages();
    }
}

internal sealed record InvoiceBlock([property: JsonPropertyName("invoice_number")] string InvoiceNumber);

internal sealed record OriginalRequestBlock([property: JsonPropertyName("original_request_id")] string OriginalRequestId);

internal sealed record AmountBlock([property: JsonPropertyName("amount")] long Amount);

internal sealed record ReferenceBlock([property: JsonPropertyName("merchant_unique_reference")] string Reference);

internal sealed record CaptureBlock(
    [property: JsonPropertyName("authorize_id")] string AuthorizeId,
    [property: JsonPropertyName("capture_amount")] long? CaptureAmount);

internal sealed record IdentifierBlock([property: JsonPropertyName("identifier")] List<DokuIdentifier> Identifier);

internal sealed record ReferencedIdentifierBlock(
    [property: JsonPropertyName("merchant_unique_reference")] string? Reference,
    [property: JsonPropertyName("identifier")] List<DokuIdentifier> Identifier);

/// <summary>The obvious rules of the post-payment bodies: what is mandatory, and the limits DOKU documents.</summary>
internal static class PostPaymentRules
{
    public static void Invoice(string? invoice, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(invoice))
        {
            errors.Add("order.invoice_number", "must be filled");
        }
        else if (invoice.Length > CheckoutRules.MaxInvoiceLength)
        {
            errors.Add("order.invoice_number", $"max length is {CheckoutRules.MaxInvoiceLength}");
        }
    }

    public static void RequestId(string? requestId, string path, bool required, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(requestId))
        {
            if (required) errors.Add(path, "must be filled");
        }
        else if (string.IsNullOrWhiteSpace(requestId))
        {
            errors.Add(path, "must be filled");
        }
        else if (requestId.Length > DokuHeaders.MaxRequestIdLength)
        {
            errors.Add(path, $"max length is {DokuHeaders.MaxRequestIdLength}");
        }
    }

    public static void Amount(long? amount, string path, bool required, ValidationErrors errors)
    {
        if (amount is null)
        {
            if (required) errors.Add(path, "must be filled");
        }
        else if (amount <= 0)
        {
            errors.Add(path, "must greater than 0");
        }
        else if (amount > CheckoutRules.MaxAmount)
        {
            errors.Add(path, $"max length is {CheckoutRules.MaxAmountDigits} digits");
        }
    }

    public static void Identifiers(List<DokuIdentifier>? identifiers, string path, ValidationErrors errors)
    {
        if (identifiers is not { Count: > 0 })
        {
            errors.Add(path, "must be filled (the identifiers of the payment notification)");
            return;
        }
        for (var i = 0; i < identifiers.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(identifiers[i]?.Name) || string.IsNullOrWhiteSpace(identifiers[i]?.Value))
            {
                errors.Add($"{path}[{i}]", "needs a name and a value");
            }
        }
    }
}

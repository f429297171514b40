using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lunas.Client;

/// <summary>
/// The body DOKU uses both for the status API and for HTTP notifications: <c>service</c>, <c>acquirer</c>,
/// <c>channel</c>, <c>order</c>, <c>transaction</c> and the block of the channel the customer used (the others are
/// null). Unknown fields are ignored and kept in <see cref="AdditionalProperties"/>, so new DOKU fields never break
/// parsing.
/// </summary>
public abstract class DokuPaymentEnvelope
{
    /// <summary><c>service.id</c>: the channel family, e.g. <c>VIRTUAL_ACCOUNT</c>; its id is null until a channel is chosen.</summary>
    [JsonPropertyName("service")] public DokuIdBlock? Service { get; set; }

    /// <summary><c>acquirer.id</c>: the bank, store, wallet or lender, e.g. <c>BCA</c>.</summary>
    [JsonPropertyName("acquirer")] public DokuIdBlock? Acquirer { get; set; }

    /// <summary><c>channel.id</c>: the <c>payment_method_types</c> value the customer used, e.g. <c>VIRTUAL_ACCOUNT_BCA</c>.</summary>
    [JsonPropertyName("channel")] public DokuIdBlock? Channel { get; set; }

    /// <summary>The order: invoice number, amount and (status API only) order status.</summary>
    [JsonPropertyName("order")] public DokuEnvelopeOrder Order { get; set; } = new();

    /// <summary>The transaction: status, date, the Request-Id of the checkout.</summary>
    [JsonPropertyName("transaction")] public DokuTransaction Transaction { get; set; } = new();

    /// <summary>Virtual account number and validity (<c>VIRTUAL_ACCOUNT_*</c>).</summary>
    [JsonPropertyName("virtual_account_info")] public DokuVirtualAccountInfo? VirtualAccountInfo { get; set; }

    /// <summary>The virtual account payment, once paid.</summary>
    [JsonPropertyName("virtual_account_payment")] public DokuVirtualAccountPayment? VirtualAccountPayment { get; set; }

    /// <summary>Convenience store payment code and validity (<c>ONLINE_TO_OFFLINE_*</c>).</summary>
    [JsonPropertyName("online_to_offline_info")] public DokuOnlineToOfflineInfo? OnlineToOfflineInfo { get; set; }

    /// <summary>The convenience store payment, once paid.</summary>
    [JsonPropertyName("online_to_offline_payment")] public DokuOnlineToOfflinePayment? OnlineToOfflinePayment { get; set; }

    /// <summary>Card or direct debit result (<c>CREDIT_CARD</c>, <c>DIRECT_DEBIT_*</c>).</summary>
    [JsonPropertyName("card_payment")] public DokuCardPayment? CardPayment { get; set; }

    /// <summary>E-money wallet result (<c>EMONEY_*</c>).</summary>
    [JsonPropertyName("emoney_payment")] public DokuWalletPayment? EmoneyPayment { get; set; }

    /// <summary>Internet banking result (<c>OCTO_CLICKS</c>, <c>EPAY_BRI</c>, …).</summary>
    [JsonPropertyName("online_banking_payment")] public DokuWalletPayment? OnlineBankingPayment { get; set; }

    /// <summary>Paylater result (<c>PEER_TO_PEER_*</c>).</summary>
    [JsonPropertyName("peer_to_peer_info")] public DokuPeerToPeerInfo? PeerToPeerInfo { get; set; }

    /// <summary>QRIS result.</summary>
    [JsonPropertyName("qris_payment")] public DokuQrisPayment? QrisPayment { get; set; }

    /// <summary>ShopeePay result: the identifiers a refund must quote (<see cref="ShopeePayRefundRequest.For"/>).</summary>
    [JsonPropertyName("shopeepay_payment")] public DokuShopeePayPayment? ShopeePayPayment { get; set; }

    /// <summary>After a void or refund: this refund's amount and <c>total_refunded</c>.</summary>
    [JsonPropertyName("refund")] public DokuRefund? Refund { get; set; }

    /// <summary>
    /// Notifications of card authorizations and captures: the top-level <c>authorize_id</c> to capture or void with
    /// (the status API has it in <see cref="DokuCardPayment.AuthorizeId"/>; <see cref="CardAuthorizeId"/> reads either).
    /// </summary>
    [JsonPropertyName("authorize_id")] public string? AuthorizeId { get; set; }

    /// <summary>Top-level fields this version does not know, as JSON.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>The body exactly as received, for logs and audits.</summary>
    [JsonIgnore] public string RawJson { get; set; } = "";

    /// <summary>
    /// True when <c>transaction.status</c> is <c>SUCCESS</c>: the order is paid (a sale, or a captured authorization;
    /// an uncaptured authorization is <c>PENDING</c>, see <see cref="IsAuthorized"/>).
    /// </summary>
    [JsonIgnore] public bool IsPaid => Transaction is { Status: DokuTransactionStatus.Success };

    /// <summary>
    /// True for a card authorization not captured yet (<c>transaction.status</c> <c>PENDING</c>, <c>transaction.type</c>
    /// <c>AUTHORIZE</c>): the amount is held; capture it with <c>CaptureAsync</c>, or release it with a void.
    /// </summary>
    [JsonIgnore]
    public bool IsAuthorized => Transaction is { Status: DokuTransactionStatus.Pending, Type: DokuTransactionType.Authorize };

    /// <summary>True when the payment was given back: <c>transaction.status</c> <c>REFUNDED</c> or <c>VOIDED</c>.</summary>
    [JsonIgnore]
    public bool IsRefundedOrVoided => Transaction is { Status: DokuTransactionStatus.Refunded or DokuTransactionStatus.Voided };

    /// <summary>True when the merchant cancelled the order (status API: <c>order.status</c> <c>ORDER_CANCELLED</c>).</summary>
    [JsonIgnore] public bool IsCancelled => Order is { Status: DokuOrderStatusValue.Cancelled };

    /// <summary>The card authorization's id: the notification's top-level <c>authorize_id</c>, else <c>card_payment.authorize_id</c>.</summary>
    [JsonIgnore] public string? CardAuthorizeId => AuthorizeId ?? CardPayment?.AuthorizeId;

    /// <summary>The envelope has what every DOKU status and notification body has: an order with an invoice number and a transaction status.</summary>
    internal bool IsComplete => Order is { InvoiceNumber.Length: > 0 } && Transaction is { Status.Length: > 0 };
}

/// <summary>
/// An HTTP notification DOKU (or Lunas) POSTs to the merchant when a payment changes state. Verify it first
/// (<see cref="DokuNotificationVerifier"/>, or let <c>MapDokuNotifications</c> do it).
/// </summary>
public sealed class DokuNotification : DokuPaymentEnvelope
{
    /// <summary>
    /// The notification's own <c>Request-Id</c> header (not the checkout's: that is
    /// <see cref="DokuTransaction.OriginalRequestId"/>). Useful to drop duplicates, but make the handling idempotent on
    /// the invoice and status as well: a redelivery may carry a new Request-Id.
    /// </summary>
    [JsonIgnore] public string RequestId { get; set; } = "";

    /// <summary>The <c>Client-Id</c> header.</summary>
    [JsonIgnore] public string ClientId { get; set; } = "";

    /// <summary>
    /// Parses a notification body. Throws <see cref="JsonException"/> when it is not a JSON object of this shape, or
    /// lacks <c>order.invoice_number</c> or <c>transaction.status</c>.
    /// </summary>
    /// <param name="body">The body bytes as received.</param>
    public static DokuNotification Parse(ReadOnlySpan<byte> body)
    {
        var notification = JsonSerializer.Deserialize(body, DokuJsonContext.Default.DokuNotification)
                           ?? throw new JsonException("The notification body is JSON null.");
        if (!notification.IsComplete)
        {
            throw new JsonException("The notification has no order.invoice_number or no transaction.status.");
        }
        notification.RawJson = System.Text.Encoding.UTF8.GetString(body);
        return notification;
    }
}

/// <summary>The answer of <c>GET /orders/v1/status/{invoice_number or Request-Id}</c>.</summary>
public sealed class DokuOrderStatus : DokuPaymentEnvelope
{
}

/// <summary>An object with a single <c>id</c>: <c>service</c>, <c>acquirer</c>, <c>channel</c>.</summary>
public sealed class DokuIdBlock
{
    /// <summary>The id; null until the customer has chosen a channel.</summary>
    [JsonPropertyName("id")] public string? Id { get; set; }
}

/// <summary>The envelope's <c>order</c> object.</summary>
public sealed class DokuEnvelopeOrder
{
    /// <summary>The merchant's invoice number.</summary>
    [JsonPropertyName("invoice_number")] public string InvoiceNumber { get; set; } = "";

    /// <summary>The amount in rupiah.</summary>
    [JsonPropertyName("amount")] public long Amount { get; set; }

    /// <summary>
    /// Status API only: <c>ORDER_GENERATED</c>, <c>ORDER_EXPIRED</c>, <c>ORDER_RECOVERED</c> or <c>ORDER_CANCELLED</c> (see
    /// <see cref="DokuOrderStatusValue"/>); null in notifications.
    /// </summary>
    [JsonPropertyName("status")] public string? Status { get; set; }
}

/// <summary>The envelope's <c>transaction</c> object.</summary>
public sealed class DokuTransaction
{
    /// <summary><c>PENDING</c>, <c>SUCCESS</c>, <c>FAILED</c>, <c>EXPIRED</c>, <c>VOIDED</c>, <c>REFUNDED</c>, … (see <see cref="DokuTransactionStatus"/>).</summary>
    [JsonPropertyName("status")] public string Status { get; set; } = "";

    /// <summary>When it happened, UTC (<c>yyyy-MM-ddTHH:mm:ssZ</c>).</summary>
    [JsonPropertyName("date")] public string? Date { get; set; }

    /// <summary>The Request-Id of the create-payment call.</summary>
    [JsonPropertyName("original_request_id")] public string? OriginalRequestId { get; set; }

    /// <summary>
    /// Card payments: <c>SALE</c>, <c>INSTALLMENT</c>, <c>AUTHORIZE</c>, then <c>CAPTURE</c>, <c>VOID</c>,
    /// <c>FULL_REFUND</c> or <c>PARTIAL_REFUND</c>; refunds of other channels too (see <see cref="DokuTransactionType"/>).
    /// </summary>
    [JsonPropertyName("type")] public string? Type { get; set; }

    /// <summary>
    /// The amount of this transaction in rupiah, when it differs in kind from <c>order.amount</c>: the captured amount
    /// after a capture, the refunded amount after a refund (<c>order.amount</c> stays the original).
    /// </summary>
    [JsonPropertyName("amount")] public long? Amount { get; set; }
}

/// <summary>Values of <c>transaction.type</c>.</summary>
public static class DokuTransactionType
{
    /// <summary>A card sale: paid at once.</summary>
    public const string Sale = "SALE";

    /// <summary>A card installment sale.</summary>
    public const string Installment = "INSTALLMENT";

    /// <summary>A card authorization: the amount is held (<c>transaction.status</c> <c>PENDING</c>) until captured.</summary>
    public const string Authorize = "AUTHORIZE";

    /// <summary>A captured authorization (<c>transaction.status</c> <c>SUCCESS</c>).</summary>
    public const string Capture = "CAPTURE";

    /// <summary>Given back before settlement (<c>transaction.status</c> <c>VOIDED</c>).</summary>
    public const string Void = "VOID";

    /// <summary>Refunded in full (<c>transaction.status</c> <c>REFUNDED</c>).</summary>
    public const string FullRefund = "FULL_REFUND";

    /// <summary>Refunded in part (<c>transaction.status</c> <c>REFUNDED</c>; see <see cref="DokuRefund.TotalRefunded"/>).</summary>
    public const string PartialRefund = "PARTIAL_REFUND";
}

/// <summary>Values of <c>transaction.status</c>.</summary>
public static class DokuTransactionStatus
{
    /// <summary>Waiting for the customer; or, with <c>transaction.type</c> <c>AUTHORIZE</c>, a card hold waiting for its capture.</summary>
    public const string Pending = "PENDING";

    /// <summary>Paid (final).</summary>
    public const string Success = "SUCCESS";

    /// <summary>An attempt failed; the customer may retry another channel unless retries are disabled.</summary>
    public const string Failed = "FAILED";

    /// <summary>Not paid in time (final).</summary>
    public const string Expired = "EXPIRED";

    /// <summary>Refunded, in full or in part (see <see cref="DokuRefund.TotalRefunded"/>).</summary>
    public const string Refunded = "REFUNDED";

    /// <summary>A card payment or authorization voided before settlement, or an authorization that lapsed (final).</summary>
    public const string Voided = "VOIDED";

    /// <summary>The channel did not answer in time.</summary>
    public const string Timeout = "TIMEOUT";

    /// <summary>Waiting for 3-D Secure.</summary>
    public const string Redirect = "REDIRECT";
}

/// <summary>Values of the status API's <c>order.status</c>.</summary>
public static class DokuOrderStatusValue
{
    /// <summary>The checkout page exists.</summary>
    public const string Generated = "ORDER_GENERATED";

    /// <summary>The checkout page expired.</summary>
    public const string Expired = "ORDER_EXPIRED";

    /// <summary>An expired order was recovered.</summary>
    public const string Recovered = "ORDER_RECOVERED";

    /// <summary>The merchant cancelled the order (<c>CancelOrderAsync</c>); <c>transaction.status</c> is then <c>EXPIRED</c> (final).</summary>
    public const string Cancelled = "ORDER_CANCELLED";
}

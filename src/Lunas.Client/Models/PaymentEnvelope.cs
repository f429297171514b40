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

    /// <summary>Top-level fields this version does not know, as JSON.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>The body exactly as received, for logs and audits.</summary>
    [JsonIgnore] public string RawJson { get; set; } = "";

    /// <summary>True when <c>transaction.status</c> is <c>SUCCESS</c>: the order is paid.</summary>
    [JsonIgnore] public bool IsPaid => Transaction is { Status: DokuTransactionStatus.Success };

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
    /// Status API only: <c>ORDER_GENERATED</c>, <c>ORDER_EXPIRED</c> or <c>ORDER_RECOVERED</c> (see
    /// <see cref="DokuOrderStatusValue"/>); null in notifications.
    /// </summary>
    [JsonPropertyName("status")] public string? Status { get; set; }
}

/// <summary>The envelope's <c>transaction</c> object.</summary>
public sealed class DokuTransaction
{
    /// <summary><c>PENDING</c>, <c>SUCCESS</c>, <c>FAILED</c>, <c>EXPIRED</c>, … (see <see cref="DokuTransactionStatus"/>).</summary>
    [JsonPropertyName("status")] public string Status { get; set; } = "";

    /// <summary>When it happened, UTC (<c>yyyy-MM-ddTHH:mm:ssZ</c>).</summary>
    [JsonPropertyName("date")] public string? Date { get; set; }

    /// <summary>The Request-Id of the create-payment call.</summary>
    [JsonPropertyName("original_request_id")] public string? OriginalRequestId { get; set; }

    /// <summary>Card payments: <c>SALE</c>, <c>INSTALLMENT</c> or <c>AUTHORIZE</c>.</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }
}

/// <summary>Values of <c>transaction.status</c>.</summary>
public static class DokuTransactionStatus
{
    /// <summary>Waiting for the customer.</summary>
    public const string Pending = "PENDING";

    /// <summary>Paid (final).</summary>
    public const string Success = "SUCCESS";

    /// <summary>An attempt failed; the customer may retry another channel unless retries are disabled.</summary>
    public const string Failed = "FAILED";

    /// <summary>Not paid in time (final).</summary>
    public const string Expired = "EXPIRED";

    /// <summary>Refunded (final).</summary>
    public const string Refunded = "REFUNDED";

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
}

/// <summary>The <c>virtual_account_info</c> block.</summary>
public sealed class DokuVirtualAccountInfo
{
    /// <summary>The number the customer transfers to.</summary>
    [JsonPropertyName("virtual_account_number")] public string? VirtualAccountNumber { get; set; }

    /// <summary>When the number was issued, <c>yyyyMMddHHmmss</c> in UTC+7.</summary>
    [JsonPropertyName("created_date")] public string? CreatedDate { get; set; }

    /// <summary>When the number expires, <c>yyyyMMddHHmmss</c> in UTC+7.</summary>
    [JsonPropertyName("expired_date")] public string? ExpiredDate { get; set; }

    /// <summary>DOKU's page of payment instructions, when sent.</summary>
    [JsonPropertyName("how_to_pay_page")] public string? HowToPayPage { get; set; }

    /// <summary>DOKU's API of payment instructions, when sent.</summary>
    [JsonPropertyName("how_to_pay_api")] public string? HowToPayApi { get; set; }
}

/// <summary>The <c>virtual_account_payment</c> block.</summary>
public sealed class DokuVirtualAccountPayment
{
    /// <summary>When the transfer arrived, <c>yyyyMMddHHmmss</c> in UTC+7.</summary>
    [JsonPropertyName("date")] public string? Date { get; set; }

    /// <summary>The bank's references.</summary>
    [JsonPropertyName("identifier")] public List<DokuIdentifier>? Identifier { get; set; }
}

/// <summary>One <c>{"name", "value"}</c> entry of an <c>identifier</c> list.</summary>
public sealed class DokuIdentifier
{
    /// <summary>What the value is, e.g. <c>REQUEST_ID</c>, <c>REFERENCE</c>.</summary>
    [JsonPropertyName("name")] public string? Name { get; set; }

    /// <summary>The value.</summary>
    [JsonPropertyName("value")] public string? Value { get; set; }
}

/// <summary>The <c>online_to_offline_info</c> block.</summary>
public sealed class DokuOnlineToOfflineInfo
{
    /// <summary>The code the customer shows at the store.</summary>
    [JsonPropertyName("payment_code")] public string? PaymentCode { get; set; }

    /// <summary>When the code was issued, <c>yyyyMMddHHmmss</c> in UTC+7.</summary>
    [JsonPropertyName("created_date")] public string? CreatedDate { get; set; }

    /// <summary>When the code expires, <c>yyyyMMddHHmmss</c> in UTC+7.</summary>
    [JsonPropertyName("expired_date")] public string? ExpiredDate { get; set; }

    /// <summary>DOKU's page of payment instructions, when sent.</summary>
    [JsonPropertyName("how_to_pay_page")] public string? HowToPayPage { get; set; }
}

/// <summary>The <c>online_to_offline_payment</c> block.</summary>
public sealed class DokuOnlineToOfflinePayment
{
    /// <summary>The store's references.</summary>
    [JsonPropertyName("identifier")] public List<DokuIdentifier>? Identifier { get; set; }
}

/// <summary>The <c>card_payment</c> block (cards and direct debit).</summary>
public sealed class DokuCardPayment
{
    /// <summary>The card number with all but the first six and last four digits masked.</summary>
    [JsonPropertyName("masked_card_number")] public string? MaskedCardNumber { get; set; }

    /// <summary>The issuer's approval code.</summary>
    [JsonPropertyName("approval_code")] public string? ApprovalCode { get; set; }

    /// <summary>The acquirer's response code, <c>00</c> when approved.</summary>
    [JsonPropertyName("response_code")] public string? ResponseCode { get; set; }

    /// <summary>The acquirer's response message, e.g. <c>PAYMENT_APPROVED</c>.</summary>
    [JsonPropertyName("response_message")] public string? ResponseMessage { get; set; }

    /// <summary>The installment tenor in months, for installment payments.</summary>
    [JsonPropertyName("installment_tenor")] public int? InstallmentTenor { get; set; }

    /// <summary>The issuing bank, when sent.</summary>
    [JsonPropertyName("issuer")] public string? Issuer { get; set; }
}

/// <summary>The <c>emoney_payment</c> and <c>online_banking_payment</c> blocks.</summary>
public sealed class DokuWalletPayment
{
    /// <summary>The customer's account at the wallet or bank.</summary>
    [JsonPropertyName("account_id")] public string? AccountId { get; set; }

    /// <summary>The wallet's or bank's approval code.</summary>
    [JsonPropertyName("approval_code")] public string? ApprovalCode { get; set; }
}

/// <summary>The <c>peer_to_peer_info</c> block (paylater).</summary>
public sealed class DokuPeerToPeerInfo
{
    /// <summary>The reference shared with the lender.</summary>
    [JsonPropertyName("merchant_unique_reference")] public string? MerchantUniqueReference { get; set; }

    /// <summary>The tenor in months.</summary>
    [JsonPropertyName("tenor")] public int? Tenor { get; set; }

    /// <summary>The lender's approval code.</summary>
    [JsonPropertyName("approval_code")] public string? ApprovalCode { get; set; }
}

/// <summary>The <c>qris_payment</c> block.</summary>
public sealed class DokuQrisPayment
{
    /// <summary>The bill reference in the QR payload.</summary>
    [JsonPropertyName("reference_number")] public string? ReferenceNumber { get; set; }

    /// <summary>The wallet or bank that paid, e.g. <c>GOPAY</c>.</summary>
    [JsonPropertyName("issuer")] public string? Issuer { get; set; }

    /// <summary>The issuer's approval code.</summary>
    [JsonPropertyName("approval_code")] public string? ApprovalCode { get; set; }

    /// <summary>When it was paid, UTC.</summary>
    [JsonPropertyName("date")] public string? Date { get; set; }
}

using System.Text.Json.Serialization;
using Lunas.Protocol.Checkout;
using Lunas.Protocol.Wire;

namespace Lunas.Client;

/// <summary>
/// DOKU's answer to a successful create payment: <c>{"message": ["SUCCESS"], "response": {...}}</c>. Send the
/// customer's browser to <see cref="PaymentUrl"/>.
/// </summary>
public sealed class CheckoutResponse
{
    /// <summary><c>message</c>: <c>["SUCCESS"]</c>.</summary>
    [JsonPropertyName("message")] public List<string>? Message { get; set; }

    /// <summary><c>response</c>: the order, the payment page and the echoed request.</summary>
    [JsonPropertyName("response")] public CheckoutResponseBody Response { get; set; } = new();

    /// <summary>The checkout page URL (<c>response.payment.url</c>).</summary>
    [JsonIgnore] public string PaymentUrl => Response.Payment.Url;

    /// <summary>The Request-Id the payment was created with (the idempotency key).</summary>
    [JsonIgnore] public string RequestId { get; set; } = "";

    /// <summary>
    /// True when DOKU answered 409 with the original body: this Request-Id had already created the payment (typically
    /// a retry after a lost response), and this is that payment, not a new one.
    /// </summary>
    [JsonIgnore] public bool Replayed { get; set; }

    /// <summary>The response body exactly as received, for logs and audits.</summary>
    [JsonIgnore] public string RawJson { get; set; } = "";
}

/// <summary>The <c>response</c> object of a create-payment answer.</summary>
public sealed class CheckoutResponseBody
{
    /// <summary>The order as DOKU stored it.</summary>
    [JsonPropertyName("order")] public CheckoutResponseOrder Order { get; set; } = new();

    /// <summary>The payment page: token, URL, expiry and the channels it offers.</summary>
    [JsonPropertyName("payment")] public CheckoutResponsePayment Payment { get; set; } = new();

    /// <summary>The customer, echoed.</summary>
    [JsonPropertyName("customer")] public CustomerInfo? Customer { get; set; }

    /// <summary>The shipping address, echoed.</summary>
    [JsonPropertyName("shipping_address")] public AddressInfo? ShippingAddress { get; set; }

    /// <summary>The billing address, echoed.</summary>
    [JsonPropertyName("billing_address")] public AddressInfo? BillingAddress { get; set; }

    /// <summary>Additional information, echoed, with DOKU's <c>origin</c>.</summary>
    [JsonPropertyName("additional_info")] public CheckoutResponseAdditionalInfo? AdditionalInfo { get; set; }

    /// <summary>
    /// DOKU's unique number for the transaction. DOKU sends it as a bare 40-digit JSON number, too large for any
    /// numeric type, so it is kept as its decimal digits.
    /// </summary>
    [JsonPropertyName("uuid")]
    [JsonConverter(typeof(JsonNumberAsStringConverter))]
    public string? Uuid { get; set; }

    /// <summary>The request headers as DOKU received them.</summary>
    [JsonPropertyName("headers")] public CheckoutResponseHeaders? Headers { get; set; }
}

/// <summary>The <c>response.order</c> object.</summary>
public sealed class CheckoutResponseOrder
{
    /// <summary>The amount in rupiah (DOKU sends it as a JSON string; either form is read).</summary>
    [JsonPropertyName("amount")] public long Amount { get; set; }

    /// <summary>The merchant's invoice number.</summary>
    [JsonPropertyName("invoice_number")] public string InvoiceNumber { get; set; } = "";

    /// <summary>The currency, <c>IDR</c>.</summary>
    [JsonPropertyName("currency")] public string? Currency { get; set; }

    /// <summary>DOKU's session id of the checkout page.</summary>
    [JsonPropertyName("session_id")] public string? SessionId { get; set; }

    /// <summary>Echoed <c>order.callback_url</c>.</summary>
    [JsonPropertyName("callback_url")] public string? CallbackUrl { get; set; }

    /// <summary>Echoed <c>order.callback_url_cancel</c>.</summary>
    [JsonPropertyName("callback_url_cancel")] public string? CallbackUrlCancel { get; set; }

    /// <summary>Echoed <c>order.callback_url_result</c>.</summary>
    [JsonPropertyName("callback_url_result")] public string? CallbackUrlResult { get; set; }

    /// <summary>Echoed <c>order.language</c>.</summary>
    [JsonPropertyName("language")] public string? Language { get; set; }

    /// <summary>Echoed <c>order.auto_redirect</c>.</summary>
    [JsonPropertyName("auto_redirect")] public bool? AutoRedirect { get; set; }

    /// <summary>Echoed <c>order.disable_retry_payment</c>.</summary>
    [JsonPropertyName("disable_retry_payment")] public bool? DisableRetryPayment { get; set; }

    /// <summary>Echoed <c>order.recover_abandoned_cart</c>.</summary>
    [JsonPropertyName("recover_abandoned_cart")] public bool? RecoverAbandonedCart { get; set; }

    /// <summary>Echoed <c>order.expired_recovered_cart</c>.</summary>
    [JsonPropertyName("expired_recovered_cart")] public long? ExpiredRecoveredCart { get; set; }

    /// <summary>Echoed line items (prices arrive as JSON strings; either form is read).</summary>
    [JsonPropertyName("line_items")] public List<LineItem>? LineItems { get; set; }
}

/// <summary>The <c>response.payment</c> object.</summary>
public sealed class CheckoutResponsePayment
{
    /// <summary>The channels the checkout page offers.</summary>
    [JsonPropertyName("payment_method_types")] public List<string>? PaymentMethodTypes { get; set; }

    /// <summary>Minutes the page stays payable.</summary>
    [JsonPropertyName("payment_due_date")] public long? PaymentDueDate { get; set; }

    /// <summary><c>payment.type</c> if the server echoes it; DOKU's documented response does not, nor does Lunas (null).</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }

    /// <summary>DOKU's token of the checkout page.</summary>
    [JsonPropertyName("token_id")] public string TokenId { get; set; } = "";

    /// <summary>The checkout page URL to send the customer to.</summary>
    [JsonPropertyName("url")] public string Url { get; set; } = "";

    /// <summary>When the page expires, as DOKU writes it: <c>yyyyMMddHHmmss</c> in UTC+7 (WIB).</summary>
    [JsonPropertyName("expired_date")] public string? ExpiredDate { get; set; }

    /// <summary><see cref="ExpiredDate"/> as an instant, or null when it is missing or malformed.</summary>
    [JsonIgnore]
    public DateTimeOffset? ExpiresAt => DokuTime.ParseWib(ExpiredDate);
}

/// <summary>The <c>response.additional_info</c> object.</summary>
public sealed class CheckoutResponseAdditionalInfo
{
    /// <summary>Echoed installment tenors.</summary>
    [JsonPropertyName("allow_tenor")] public List<int>? AllowTenor { get; set; }

    /// <summary>Echoed close-redirect setting.</summary>
    [JsonPropertyName("close_redirect")] public string? CloseRedirect { get; set; }

    /// <summary>Echoed DOKU Wallet notification URL.</summary>
    [JsonPropertyName("doku_wallet_notify_url")] public string? DokuWalletNotifyUrl { get; set; }

    /// <summary>Echoed notification URL override.</summary>
    [JsonPropertyName("override_notification_url")] public string? OverrideNotificationUrl { get; set; }

    /// <summary>Which DOKU system made the page.</summary>
    [JsonPropertyName("origin")] public CheckoutOrigin? Origin { get; set; }

    /// <summary>A second copy of the line items, as DOKU sends it.</summary>
    [JsonPropertyName("line_items")] public List<LineItem>? LineItems { get; set; }
}

/// <summary>The <c>response.additional_info.origin</c> object.</summary>
public sealed class CheckoutOrigin
{
    /// <summary><c>CHECKOUT</c>.</summary>
    [JsonPropertyName("product")] public string? Product { get; set; }

    /// <summary>DOKU's system name.</summary>
    [JsonPropertyName("system")] public string? System { get; set; }

    /// <summary><c>direct</c>.</summary>
    [JsonPropertyName("source")] public string? Source { get; set; }

    /// <summary><c>JOKUL</c>.</summary>
    [JsonPropertyName("apiFormat")] public string? ApiFormat { get; set; }
}

/// <summary>The <c>response.headers</c> object: the request headers as DOKU received them.</summary>
public sealed class CheckoutResponseHeaders
{
    /// <summary>The Request-Id.</summary>
    [JsonPropertyName("request_id")] public string? RequestId { get; set; }

    /// <summary>The request's Signature.</summary>
    [JsonPropertyName("signature")] public string? Signature { get; set; }

    /// <summary>The request's Request-Timestamp.</summary>
    [JsonPropertyName("date")] public string? Date { get; set; }

    /// <summary>The Client-Id.</summary>
    [JsonPropertyName("client_id")] public string? ClientId { get; set; }
}

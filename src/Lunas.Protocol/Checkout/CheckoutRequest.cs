using System.Text.Json.Serialization;

namespace Lunas.Protocol.Checkout;

/// <summary>The body of <c>POST /checkout/v1/payment</c>: every field of DOKU's create-payment page.</summary>
public sealed class CheckoutRequest
{
    /// <summary>The order: amount, invoice number, line items, redirect URLs.</summary>
    [JsonPropertyName("order")] public OrderInfo Order { get; set; } = new();

    /// <summary>Payment options: due date, type, channels to offer.</summary>
    [JsonPropertyName("payment")] public PaymentInfo? Payment { get; set; }

    /// <summary>The customer; some channels require parts of it.</summary>
    [JsonPropertyName("customer")] public CustomerInfo? Customer { get; set; }

    /// <summary>Shipping address; required by Kredivo and Indodana.</summary>
    [JsonPropertyName("shipping_address")] public AddressInfo? ShippingAddress { get; set; }

    /// <summary>Billing address; required by Indodana.</summary>
    [JsonPropertyName("billing_address")] public AddressInfo? BillingAddress { get; set; }

    /// <summary>Tenors, DOKU Wallet and notification URL overrides.</summary>
    [JsonPropertyName("additional_info")] public AdditionalInfo? AdditionalInfo { get; set; }
}

/// <summary>The <c>order</c> object.</summary>
public sealed class OrderInfo
{
    /// <summary>Amount in rupiah, no decimals, at most 12 digits.</summary>
    [JsonPropertyName("amount")] public long Amount { get; set; }

    /// <summary>The merchant's invoice number: at most 64 characters, 30 when cards are offered.</summary>
    [JsonPropertyName("invoice_number")] public string InvoiceNumber { get; set; } = "";

    /// <summary>ISO 4217 currency code; IDR when omitted.</summary>
    [JsonPropertyName("currency")] public string? Currency { get; set; }

    /// <summary>"Back to merchant" URL; required by Jenius.</summary>
    [JsonPropertyName("callback_url")] public string? CallbackUrl { get; set; }

    /// <summary>Where the customer goes after cancelling (Indodana).</summary>
    [JsonPropertyName("callback_url_cancel")] public string? CallbackUrlCancel { get; set; }

    /// <summary>"Back to merchant" URL on the result page.</summary>
    [JsonPropertyName("callback_url_result")] public string? CallbackUrlResult { get; set; }

    /// <summary>Page language: <c>EN</c> or <c>ID</c>.</summary>
    [JsonPropertyName("language")] public string? Language { get; set; }

    /// <summary>When true the result page redirects to the callback URL by itself.</summary>
    [JsonPropertyName("auto_redirect")] public bool? AutoRedirect { get; set; }

    /// <summary>When true a failed payment cannot be retried with another channel.</summary>
    [JsonPropertyName("disable_retry_payment")] public bool? DisableRetryPayment { get; set; }

    /// <summary>When true an expired order can be recovered for <see cref="ExpiredRecoveredCart"/> minutes.</summary>
    [JsonPropertyName("recover_abandoned_cart")] public bool? RecoverAbandonedCart { get; set; }

    /// <summary>Minutes a recovered order stays payable, at most 44640.</summary>
    [JsonPropertyName("expired_recovered_cart")] public long? ExpiredRecoveredCart { get; set; }

    /// <summary>The items; required (with Σ price × quantity = amount) by paylater, Jenius, KKI and Allobank.</summary>
    [JsonPropertyName("line_items")] public List<LineItem>? LineItems { get; set; }
}

/// <summary>One entry of <c>order.line_items</c>.</summary>
public sealed class LineItem
{
    /// <summary>Item id, at most 64 characters.</summary>
    [JsonPropertyName("id")] public string? Id { get; set; }

    /// <summary>Item name, at most 255 characters.</summary>
    [JsonPropertyName("name")] public string? Name { get; set; }

    /// <summary>Unit price in rupiah.</summary>
    [JsonPropertyName("price")] public long? Price { get; set; }

    /// <summary>Quantity.</summary>
    [JsonPropertyName("quantity")] public long? Quantity { get; set; }

    /// <summary>Stock-keeping unit.</summary>
    [JsonPropertyName("sku")] public string? Sku { get; set; }

    /// <summary>Category; for Indodana one of <see cref="Lunas.Protocol.Checkout.CheckoutRules.IndodanaCategories"/>.</summary>
    [JsonPropertyName("category")] public string? Category { get; set; }

    /// <summary>Product page URL (Kredivo).</summary>
    [JsonPropertyName("url")] public string? Url { get; set; }

    /// <summary>Product image URL (Indodana).</summary>
    [JsonPropertyName("image_url")] public string? ImageUrl { get; set; }

    /// <summary>Item type (Indodana, Kredivo).</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }
}

/// <summary>The <c>payment</c> object.</summary>
public sealed class PaymentInfo
{
    /// <summary>Minutes until the page expires; 60 when omitted; at most 6 digits.</summary>
    [JsonPropertyName("payment_due_date")] public long? PaymentDueDate { get; set; }

    /// <summary><c>SALE</c>, <c>INSTALLMENT</c> or <c>AUTHORIZE</c> (the last two for cards only).</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }

    /// <summary>The channels to offer; every eligible enabled channel when omitted.</summary>
    [JsonPropertyName("payment_method_types")] public List<string>? PaymentMethodTypes { get; set; }
}

/// <summary>The <c>customer</c> object.</summary>
public sealed class CustomerInfo
{
    /// <summary>Merchant's customer id, at most 50 characters; required by tokenized channels and Akulaku.</summary>
    [JsonPropertyName("id")] public string? Id { get; set; }

    /// <summary>Customer name, at most 255 characters.</summary>
    [JsonPropertyName("name")] public string? Name { get; set; }

    /// <summary>Last name, at most 16 characters.</summary>
    [JsonPropertyName("last_name")] public string? LastName { get; set; }

    /// <summary>Phone as calling code and number, at most 16 characters.</summary>
    [JsonPropertyName("phone")] public string? Phone { get; set; }

    /// <summary>Email, at most 128 characters.</summary>
    [JsonPropertyName("email")] public string? Email { get; set; }

    /// <summary>Address, at most 400 characters.</summary>
    [JsonPropertyName("address")] public string? Address { get; set; }

    /// <summary>Post code.</summary>
    [JsonPropertyName("postcode")] public string? Postcode { get; set; }

    /// <summary>State or province.</summary>
    [JsonPropertyName("state")] public string? State { get; set; }

    /// <summary>City.</summary>
    [JsonPropertyName("city")] public string? City { get; set; }

    /// <summary>ISO 3166-1 alpha-2 country code.</summary>
    [JsonPropertyName("country")] public string? Country { get; set; }
}

/// <summary>A <c>shipping_address</c> or <c>billing_address</c> object.</summary>
public sealed class AddressInfo
{
    /// <summary>First name.</summary>
    [JsonPropertyName("first_name")] public string? FirstName { get; set; }

    /// <summary>Last name.</summary>
    [JsonPropertyName("last_name")] public string? LastName { get; set; }

    /// <summary>Street address.</summary>
    [JsonPropertyName("address")] public string? Address { get; set; }

    /// <summary>City.</summary>
    [JsonPropertyName("city")] public string? City { get; set; }

    /// <summary>Postal code.</summary>
    [JsonPropertyName("postal_code")] public string? PostalCode { get; set; }

    /// <summary>Phone.</summary>
    [JsonPropertyName("phone")] public string? Phone { get; set; }

    /// <summary>Country code (DOKU's samples use ISO 3166 alpha-3, <c>IDN</c>).</summary>
    [JsonPropertyName("country_code")] public string? CountryCode { get; set; }
}

/// <summary>The <c>additional_info</c> object.</summary>
public sealed class AdditionalInfo
{
    /// <summary>Installment tenors to offer: any of 0, 3, 6, 12.</summary>
    [JsonPropertyName("allow_tenor")] public List<int>? AllowTenor { get; set; }

    /// <summary>DOKU Wallet notification URL.</summary>
    [JsonPropertyName("doku_wallet_notify_url")] public string? DokuWalletNotifyUrl { get; set; }

    /// <summary>Sends this order's notifications here instead of the merchant's configured URL.</summary>
    [JsonPropertyName("override_notification_url")] public string? OverrideNotificationUrl { get; set; }

    /// <summary>Close-redirect setting, echoed.</summary>
    [JsonPropertyName("close_redirect")] public string? CloseRedirect { get; set; }
}

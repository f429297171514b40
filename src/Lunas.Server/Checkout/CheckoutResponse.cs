using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Lunas.Protocol.Channels;
using Lunas.Protocol.Checkout;
using Lunas.Server.Infrastructure;
using Lunas.Server.Payments;
using Lunas.Protocol.Wire;

namespace Lunas.Server.Checkout;

/// <summary>The create-payment success body, field for field as DOKU's samples (amounts and prices as strings).</summary>
public static class CheckoutResponse
{
    public sealed record Headers(string RequestId, string Signature, string Date, string ClientId);

    /// <summary>
    /// The answer a create gave, byte for byte: the stored body of a session from before migration 016, else written
    /// again by <see cref="Write"/> from what was stored (the same request, channels, identity, URL and headers). Null
    /// only if the stored request no longer reads (a later Lunas refusing what an earlier one took).
    /// </summary>
    public static byte[]? Rewrite(StoredAnswer stored)
    {
        if (stored.Body is { } body) return Encoding.UTF8.GetBytes(body);
        var request = CheckoutRequestReader.Read(Encoding.UTF8.GetBytes(stored.RequestBody), new ValidationErrors());
        if (request is null) return null;
        var offered = new List<PaymentMethod>();
        foreach (var value in stored.PaymentMethods.Split(','))
        {
            if (PaymentMethods.Find(value) is not { } method) return null;
            offered.Add(method);
        }
        // The expiry as answered, not as it stands: expiring now or recovering a cart moves expires_at, never created_at.
        // Created at a whole millisecond plus whole minutes: the same second as the original, which expired_date shows.
        var identity = new SessionIdentity(stored.SessionId, stored.TokenId, stored.Uuid ?? "", stored.CreatedAt,
            stored.CreatedAt.AddMinutes(CheckoutRules.PaymentDueMinutes(request)));
        return Write(request, offered, identity, stored.PaymentUrl ?? "",
            new Headers(stored.RequestId, stored.Signature ?? "", stored.Timestamp ?? "", stored.ClientId));
    }

    public static byte[] Write(CheckoutRequest request, IReadOnlyList<PaymentMethod> offered, SessionIdentity session,
        string paymentUrl, Headers headers)
    {
        return JsonBody.Write((request, offered, session, paymentUrl, headers), static (w, s) =>
        {
            var (request, offered, session, paymentUrl, headers) = s;
            w.WriteStartObject();
            w.WriteStartArray("message");
            w.WriteStringValue("SUCCESS");
            w.WriteEndArray();
            w.WriteStartObject("response");

            WriteOrder(w, request.Order, session);
            WritePayment(w, request, offered, session, paymentUrl);
            if (request.Customer is { } c) WriteCustomer(w, c);
            WriteAdditionalInfo(w, request);

            // DOKU sends uuid as a bare 40-digit JSON number; written raw so no client-side rounding happens here.
            w.WritePropertyName("uuid");
            w.WriteRawValue(session.Uuid, skipInputValidation: true);
            w.WriteStartObject("headers");
            w.WriteString("request_id", headers.RequestId);
            w.WriteString("signature", headers.Signature);
            w.WriteString("date", headers.Date);
            w.WriteString("client_id", headers.ClientId);
            w.WriteEndObject();

            WriteAddress(w, "shipping_address", request.ShippingAddress);
            WriteAddress(w, "billing_address", request.BillingAddress);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static void WriteOrder(Utf8JsonWriter w, OrderInfo order, SessionIdentity session)
    {
        w.WriteStartObject("order");
        w.WriteString("amount", order.Amount.ToString(CultureInfo.InvariantCulture));
        w.WriteString("invoice_number", order.InvoiceNumber);
        w.WriteString("currency", order.Currency ?? "IDR");
        w.WriteString("session_id", session.SessionId);
        Str(w, "callback_url", order.CallbackUrl);
        Str(w, "callback_url_cancel", order.CallbackUrlCancel);
        Str(w, "callback_url_result", order.CallbackUrlResult);
        if (order.RecoverAbandonedCart is { } recover) w.WriteBoolean("recover_abandoned_cart", recover);
        if (order.ExpiredRecoveredCart is { } recovered) w.WriteNumber("expired_recovered_cart", recovered);
        if (order.LineItems is { } items) WriteLineItems(w, items);
        Str(w, "language", order.Language);
        if (order.DisableRetryPayment is { } disable) w.WriteBoolean("disable_retry_payment", disable);
        if (order.AutoRedirect is { } auto) w.WriteBoolean("auto_redirect", auto);
        w.WriteEndObject();
    }

    private static void WritePayment(Utf8JsonWriter w, CheckoutRequest request, IReadOnlyList<PaymentMethod> offered, SessionIdentity session,
        string paymentUrl)
    {
        w.WriteStartObject("payment");
        w.WriteStartArray("payment_method_types");
        foreach (var method in offered) w.WriteStringValue(method.Value);
        w.WriteEndArray();
        w.WriteNumber("payment_due_date", CheckoutRules.PaymentDueMinutes(request));
        w.WriteString("token_id", session.TokenId);
        w.WriteString("url", paymentUrl);
        w.WriteString("expired_date", session.ExpiredDate);
        w.WriteEndObject();
    }

    private static void WriteCustomer(Utf8JsonWriter w, CustomerInfo c)
    {
        w.WriteStartObject("customer");
        Str(w, "id", c.Id);
        Str(w, "state", c.State);
        Str(w, "city", c.City);
        Str(w, "postcode", c.Postcode);
        Str(w, "email", c.Email);
        Str(w, "phone", c.Phone);
        Str(w, "name", c.Name);
        Str(w, "last_name", c.LastName);
        Str(w, "address", c.Address);
        Str(w, "country", c.Country);
        w.WriteEndObject();
    }

    private static void WriteAdditionalInfo(Utf8JsonWriter w, CheckoutRequest request)
    {
        var info = request.AdditionalInfo;
        w.WriteStartObject("additional_info");
        if (info?.AllowTenor is { } tenors)
        {
            w.WriteStartArray("allow_tenor");
            foreach (var tenor in tenors) w.WriteNumberValue(tenor);
            w.WriteEndArray();
        }
        Str(w, "close_redirect", info?.CloseRedirect);
        Str(w, "doku_wallet_notify_url", info?.DokuWalletNotifyUrl);
        w.WriteStartObject("origin");
        w.WriteString("product", "CHECKOUT");
        w.WriteString("system", "mid-jokul-checkout-system");
        w.WriteString("source", "direct");
        w.WriteString("apiFormat", "JOKUL");
        w.WriteEndObject();
        if (request.Order.LineItems is { } copy) WriteLineItems(w, copy);
        Str(w, "override_notification_url", info?.OverrideNotificationUrl);
        w.WriteEndObject();
    }

    private static void WriteLineItems(Utf8JsonWriter w, List<LineItem> items)
    {
        w.WriteStartArray("line_items");
        foreach (var item in items)
        {
            w.WriteStartObject();
            Str(w, "name", item.Name);
            if (item.Quantity is { } quantity) w.WriteNumber("quantity", quantity);
            if (item.Price is { } price) w.WriteString("price", price.ToString(CultureInfo.InvariantCulture));
            Str(w, "sku", item.Sku);
            Str(w, "category", item.Category);
            Str(w, "url", item.Url);
            Str(w, "image_url", item.ImageUrl);
            Str(w, "type", item.Type);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteAddress(Utf8JsonWriter w, string name, AddressInfo? address)
    {
        if (address is null) return;
        w.WriteStartObject(name);
        Str(w, "address", address.Address);
        Str(w, "city", address.City);
        Str(w, "phone", address.Phone);
        Str(w, "first_name", address.FirstName);
        Str(w, "last_name", address.LastName);
        Str(w, "postal_code", address.PostalCode);
        Str(w, "country_code", address.CountryCode);
        w.WriteEndObject();
    }

    private static void Str(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }
}

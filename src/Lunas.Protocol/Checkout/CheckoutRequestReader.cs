using System.Globalization;
using System.Text.Json;

namespace Lunas.Protocol.Checkout;

/// <summary>
/// Reads a create-payment body the way real DOKU clients send it (numeric strings, numbers for ids, unknown fields),
/// collecting every type error with its field path instead of stopping at the first.
/// </summary>
public static partial class CheckoutRequestReader
{
    /// <summary>Deepest nesting accepted; DOKU bodies are four levels deep.</summary>
    public const int MaxDepth = 16;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    /// <summary>
    /// Parses <paramref name="body"/>. Returns null with a message in <paramref name="errors"/> when it is not a JSON
    /// object; otherwise the request, with any field-level type errors added to <paramref name="errors"/>.
    /// </summary>
    public static CheckoutRequest? Read(ReadOnlyMemory<byte> body, ValidationErrors errors)
    {
        if (body.IsEmpty)
        {
            errors.Add(FieldError.Body, "must be filled");
            return null;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            errors.Add(FieldError.Body, ex.Message.Contains("maximum configured depth", StringComparison.Ordinal)
                ? $"nests deeper than {MaxDepth} levels"
                : $"is not valid JSON (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1})");
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add(FieldError.Body, "must be a JSON object");
                return null;
            }
            return Read(root, errors);
        }
    }

    private static CheckoutRequest Read(JsonElement root, ValidationErrors errors)
    {
        var request = new CheckoutRequest();
        if (Object(root, "order", "order", errors) is { } order)
        {
            request.Order = ReadOrder(order, errors);
        }
        else if (!Has(root, "order"))
        {
            errors.Add("order", "must be filled");
        }
        if (Object(root, "payment", "payment", errors) is { } payment)
        {
            request.Payment = new PaymentInfo
            {
                PaymentDueDate = Integer(payment, "payment_due_date", "payment.payment_due_date", errors),
                Type = String(payment, "type", "payment.type", errors),
                PaymentMethodTypes = StringArray(payment, "payment_method_types", "payment.payment_method_types", errors),
            };
        }
        if (Object(root, "customer", "customer", errors) is { } customer)
        {
            request.Customer = new CustomerInfo
            {
                Id = String(customer, "id", "customer.id", errors),
                Name = String(customer, "name", "customer.name", errors),
                LastName = String(customer, "last_name", "customer.last_name", errors),
                Phone = String(customer, "phone", "customer.phone", errors),
                Email = String(customer, "email", "customer.email", errors),
                Address = String(customer, "address", "customer.address", errors),
                Postcode = String(customer, "postcode", "customer.postcode", errors),
                State = String(customer, "state", "customer.state", errors),
                City = String(customer, "city", "customer.city", errors),
                Country = String(customer, "country", "customer.country", errors),
            };
        }
        request.ShippingAddress = ReadAddress(root, "shipping_address", errors);
        request.BillingAddress = ReadAddress(root, "billing_address", errors);
        if (Object(root, "additional_info", "additional_info", errors) is { } info)
        {
            request.AdditionalInfo = new AdditionalInfo
            {
                AllowTenor = IntArray(info, "allow_tenor", "additional_info.allow_tenor", errors),
                DokuWalletNotifyUrl = String(info, "doku_wallet_notify_url", "additional_info.doku_wallet_notify_url", errors),
                OverrideNotificationUrl = String(info, "override_notification_url", "additional_info.override_notification_url", errors),
                CloseRedirect = String(info, "close_redirect", "additional_info.close_redirect", errors),
            };
        }
        return request;
    }

    private static OrderInfo ReadOrder(JsonElement order, ValidationErrors errors)
    {
        var result = new OrderInfo
        {
            Amount = Integer(order, "amount", "order.amount", errors, required: true) ?? 0,
            InvoiceNumber = String(order, "invoice_number", "order.invoice_number", errors) ?? "",
            Currency = String(order, "currency", "order.currency", errors),
            CallbackUrl = String(order, "callback_url", "order.callback_url", errors),
            CallbackUrlCancel = String(order, "callback_url_cancel", "order.callback_url_cancel", errors),
            CallbackUrlResult = String(order, "callback_url_result", "order.callback_url_result", errors),
            Language = String(order, "language", "order.language", errors),
            AutoRedirect = Boolean(order, "auto_redirect", "order.auto_redirect", errors),
            DisableRetryPayment = Boolean(order, "disable_retry_payment", "order.disable_retry_payment", errors),
            RecoverAbandonedCart = Boolean(order, "recover_abandoned_cart", "order.recover_abandoned_cart", errors),
            ExpiredRecoveredCart = Integer(order, "expired_recovered_cart", "order.expired_recovered_cart", errors),
        };
        if (order.TryGetProperty("line_items", out var items) && !IsBlank(items))
        {
            if (items.ValueKind != JsonValueKind.Array)
            {
                errors.Add("order.line_items", "must be an array");
            }
            else
            {
                result.LineItems = [];
                var index = 0;
                foreach (var item in Capped(items, CheckoutRules.MaxLineItems, "order.line_items", errors))
                {
                    var path = $"order.line_items[{index++}]";
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        errors.Add(path, "must be an object");
                        result.LineItems.Add(new LineItem()); // keeps every later item at its own index in error paths
                        continue;
                    }
                    result.LineItems.Add(new LineItem
                    {
                        Id = String(item, "id", path + ".id", errors),
                        Name = String(item, "name", path + ".name", errors),
                        Price = Integer(item, "price", path + ".price", errors),
                        Quantity = Integer(item, "quantity", path + ".quantity", errors),
                        Sku = String(item, "sku", path + ".sku", errors),
                        Category = String(item, "category", path + ".category", errors),
                        Url = String(item, "url", path + ".url", errors),
                        ImageUrl = String(item, "image_url", path + ".image_url", errors),
                        Type = String(item, "type", path + ".type", errors),
                    });
                }
            }
        }
        return result;
    }

    private static AddressInfo? ReadAddress(JsonElement root, string name, ValidationErrors errors)
    {
        if (Object(root, name, name, errors) is not { } address)
        {
            return null;
        }
        return new AddressInfo
        {
            FirstName = String(address, "first_name", name + ".first_name", errors),
            LastName = String(address, "last_name", name + ".last_name", errors),
            Address = String(address, "address", name + ".address", errors),
            City = String(address, "city", name + ".city", errors),
            PostalCode = String(address, "postal_code", name + ".postal_code", errors),
            Phone = String(address, "phone", name + ".phone", errors),
            CountryCode = String(address, "country_code", name + ".country_code", errors),
        };
    }
}

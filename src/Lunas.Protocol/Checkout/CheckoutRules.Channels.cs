using Lunas.Protocol.Channels;

namespace Lunas.Protocol.Checkout;

/// <summary>Which channels an order offers, and the per-channel conditions of the seed page.</summary>
public static partial class CheckoutRules
{
    /// <summary>
    /// The channels the order offers. A requested channel that is not enabled or whose conditions are unmet adds
    /// errors; unrequested channels whose conditions are unmet are silently left out.
    /// </summary>
    public static IReadOnlyList<PaymentMethod> ChooseChannels(CheckoutRequest request, IReadOnlyCollection<string>? enabled,
        ValidationErrors errors)
    {
        var cardOnly = request.Payment?.Type is "INSTALLMENT" or "AUTHORIZE";
        var requested = request.Payment?.PaymentMethodTypes;
        // Sized for every channel at once: an order with no list is offered most of the catalogue.
        var offered = new List<PaymentMethod>(PaymentMethods.All.Count);
        if (requested is { Count: > 0 })
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < requested.Count; i++)
            {
                if (PaymentMethods.Find(requested[i]) is not { } method || !seen.Add(method.ServiceId + "/" + method.AcquirerId))
                {
                    continue;
                }
                if (!IsEnabled(method, enabled))
                {
                    errors.Add($"payment.payment_method_types[{i}]", $"{method.Value} is not enabled for this merchant");
                    continue;
                }
                if (cardOnly && method.Family != ChannelFamily.Card)
                {
                    errors.Add("payment.type", $"{request.Payment!.Type} is only applicable to card channels, not {method.Value}");
                    continue;
                }
                CheckChannel(method, request, errors);
                offered.Add(method);
            }
            return offered;
        }

        var scratch = new ValidationErrors();
        foreach (var method in PaymentMethods.All)
        {
            if (!method.IsAlias && IsEnabled(method, enabled)
                && (!cardOnly || method.Family == ChannelFamily.Card))
            {
                scratch.Clear();
                CheckChannel(method, request, scratch);
                if (scratch.Count == 0)
                {
                    offered.Add(method);
                }
            }
        }
        if (offered.Count == 0)
        {
            errors.Add("payment.payment_method_types", "none of the merchant's channels can take this order");
        }
        return offered;
    }

    private static readonly System.Buffers.SearchValues<char> AsciiLettersAndDigits =
        System.Buffers.SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>Adds an error for every condition of <paramref name="method"/> that the request does not meet.</summary>
    public static void CheckChannel(PaymentMethod method, CheckoutRequest request, ValidationErrors errors)
    {
        var needs = method.Needs;
        var channel = method.Value;
        var order = request.Order;
        if (needs.HasFlag(ChannelNeeds.ShortInvoice) && order.InvoiceNumber.Length > MaxCardInvoiceLength)
        {
            errors.Add("order.invoice_number", $"max length is {MaxCardInvoiceLength} for {channel}");
        }
        if (needs.HasFlag(ChannelNeeds.NoSymbols) && order.InvoiceNumber.AsSpan().ContainsAnyExcept(AsciiLettersAndDigits))
        {
            errors.Add("order.invoice_number", $"must not contain symbols for {channel}");
        }
        if (needs.HasFlag(ChannelNeeds.CallbackUrl) && string.IsNullOrWhiteSpace(order.CallbackUrl))
        {
            errors.Add("order.callback_url", $"must be filled for {channel}");
        }
        if (needs.HasFlag(ChannelNeeds.LineItems))
        {
            CheckLineItems(needs, channel, request, errors);
        }

        var customer = request.Customer;
        if (needs.HasFlag(ChannelNeeds.CustomerId)) Required(customer?.Id, "customer.id", channel, errors);
        if (needs.HasFlag(ChannelNeeds.CustomerName)) Required(customer?.Name, "customer.name", channel, errors);
        if (needs.HasFlag(ChannelNeeds.CustomerEmail)) Required(customer?.Email, "customer.email", channel, errors);
        if (needs.HasFlag(ChannelNeeds.CustomerPhone)) Required(customer?.Phone, "customer.phone", channel, errors);
        if (needs.HasFlag(ChannelNeeds.CustomerAddress))
        {
            Required(customer?.Address, "customer.address", channel, errors);
            Required(customer?.Postcode, "customer.postcode", channel, errors);
            Required(customer?.State, "customer.state", channel, errors);
            Required(customer?.City, "customer.city", channel, errors);
        }
        if (needs.HasFlag(ChannelNeeds.ShippingAddress))
        {
            RequiredAddress(request.ShippingAddress, "shipping_address", channel, lastName: false, errors);
        }
        if (needs.HasFlag(ChannelNeeds.BillingAddress))
        {
            RequiredAddress(request.BillingAddress, "billing_address", channel, lastName: true, errors);
        }
    }

    private static void CheckLineItems(ChannelNeeds needs, string channel, CheckoutRequest request, ValidationErrors errors)
    {
        var items = request.Order.LineItems;
        if (items is not { Count: > 0 })
        {
            errors.Add("order.line_items", $"must be filled for {channel}");
            return;
        }
        decimal total = 0;
        var complete = true;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var path = $"order.line_items[{i}]";
            if (errors.Has(path)) continue; // not an object: already reported as such
            Required(item.Name, path + ".name", channel, errors);
            if (item.Price is null)
            {
                errors.Add(path + ".price", $"must be filled for {channel}");
                complete = false;
            }
            if (item.Quantity is null)
            {
                errors.Add(path + ".quantity", $"must be filled for {channel}");
                complete = false;
            }
            if (item.Price is { } price && item.Quantity is { } quantity)
            {
                // Clamped and summed as decimal so no input can overflow; out-of-range values are reported by ValidateFields.
                total += Math.Clamp(price, 0, MaxAmount) * Math.Clamp(quantity, 0, MaxQuantity);
            }
            CheckLineItemFields(needs, channel, item, path, errors);
        }
        if (complete && total != request.Order.Amount)
        {
            errors.Add("order.line_items", $"total of price × quantity ({total}) must equal order.amount ({request.Order.Amount}) for {channel}");
        }
    }

    private static void CheckLineItemFields(ChannelNeeds needs, string channel, LineItem item, string path, ValidationErrors errors)
    {
        if (needs.HasFlag(ChannelNeeds.LineItemId)) Required(item.Id, path + ".id", channel, errors);
        if (needs.HasFlag(ChannelNeeds.LineItemSkuCategory))
        {
            Required(item.Sku, path + ".sku", channel, errors);
            Required(item.Category, path + ".category", channel, errors);
        }
        if (needs.HasFlag(ChannelNeeds.LineItemUrl)) Required(item.Url, path + ".url", channel, errors);
        if (needs.HasFlag(ChannelNeeds.LineItemImageUrl)) Required(item.ImageUrl, path + ".image_url", channel, errors);
        if (needs.HasFlag(ChannelNeeds.LineItemType)) Required(item.Type, path + ".type", channel, errors);
        if (needs.HasFlag(ChannelNeeds.IndodanaCategory) && item.Category is { Length: > 0 } category
            && !IndodanaCategories.Contains(category) && !IndodanaCategoryAliases.Contains(category))
        {
            var hint = IndodanaCategories.FirstOrDefault(c => Near(c, category));
            errors.Add(path + ".category", $"{Quote(category)} is not an Indodana category for {channel}"
                       + (hint is null ? "" : $" (did you mean \"{hint}\"?)"));
        }
        if (needs.HasFlag(ChannelNeeds.NoSymbols))
        {
            if (item.Id is not null && item.Id.Any(c => !char.IsAsciiLetterOrDigit(c)))
            {
                errors.Add(path + ".id", $"must not contain symbols for {channel}");
            }
            if (item.Name is not null && item.Name.Any(c => !char.IsLetterOrDigit(c) && c != ' '))
            {
                errors.Add(path + ".name", $"must not contain symbols for {channel}");
            }
        }
    }

    private static void RequiredAddress(AddressInfo? address, string path, string channel, bool lastName, ValidationErrors errors)
    {
        if (address is null)
        {
            errors.Add(path, $"must be filled for {channel}");
            return;
        }
        Required(address.FirstName, path + ".first_name", channel, errors);
        if (lastName) Required(address.LastName, path + ".last_name", channel, errors);
        Required(address.Address, path + ".address", channel, errors);
        Required(address.City, path + ".city", channel, errors);
        Required(address.PostalCode, path + ".postal_code", channel, errors);
        Required(address.Phone, path + ".phone", channel, errors);
        Required(address.CountryCode, path + ".country_code", channel, errors);
    }

    private static void Required(string? value, string path, string channel, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(path, $"must be filled for {channel}");
        }
    }
}

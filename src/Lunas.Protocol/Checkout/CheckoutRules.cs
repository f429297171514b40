using Lunas.Protocol.Channels;

namespace Lunas.Protocol.Checkout;

/// <summary>
/// The rules of DOKU's create-payment page as data plus small functions. One pass collects every problem; each
/// message starts with the field path it is about.
/// </summary>
public static class CheckoutRules
{
    /// <summary>Minutes a checkout page stays payable when <c>payment.payment_due_date</c> is omitted.</summary>
    public const int DefaultPaymentDueDate = 60;

    /// <summary>Largest amount: 12 digits.</summary>
    public const long MaxAmount = 999_999_999_999;

    /// <summary>Largest <c>payment.payment_due_date</c>: 6 digits.</summary>
    public const long MaxPaymentDueDate = 999_999;

    /// <summary>Largest <c>order.expired_recovered_cart</c>, in minutes (31 days).</summary>
    public const long MaxExpiredRecoveredCart = 44_640;

    /// <summary>Longest invoice number.</summary>
    public const int MaxInvoiceLength = 64;

    /// <summary>Longest invoice number when a card acquirer may see it.</summary>
    public const int MaxCardInvoiceLength = 30;

    /// <summary>Longest URL accepted in any URL field.</summary>
    public const int MaxUrlLength = 2048;

    private const int GenericMaxLength = 255;

    /// <summary>Values of <c>payment.type</c>.</summary>
    public static readonly IReadOnlyList<string> PaymentTypes = ["SALE", "INSTALLMENT", "AUTHORIZE"];

    /// <summary>Values of <c>order.language</c>.</summary>
    public static readonly IReadOnlyList<string> Languages = ["EN", "ID"];

    /// <summary>Values of <c>additional_info.allow_tenor</c>.</summary>
    public static readonly IReadOnlyList<int> Tenors = [0, 3, 6, 12];

    /// <summary>The Indodana category list of the seed page.</summary>
    public static readonly IReadOnlySet<string> IndodanaCategories = new HashSet<string>(StringComparer.Ordinal)
    {
        "airlines", "arts-crafts-and-collectibles", "automotive", "baby", "beauty-and-fragrances", "biller",
        "books-and-magazines", "business-to-business-including-mlm", "charity-and-non-profit", "clothing", "community",
        "digital-content", "electronics-and-telecom", "entertainment-and-media", "fee", "financial-services-and-products",
        "financial-services-and-technology", "food-and-beverage", "food-retail-and-service", "games-voucher",
        "gifts-and-flowers", "government", "health-and-personal-care", "home-and-garden", "hotel-and-travel", "insurance",
        "marketplace", "nonprofit", "offline-store", "others", "over-the-air", "overseas", "pets-and-animals", "property",
        "public-services", "religion-and-spirituality", "retail", "services", "sports-and-outdoors", "telco", "ticketing",
        "toys-and-hobbies", "transportation", "travel", "vehicle-sales", "vehicles-service-and-accessories",
    };

    /// <summary>
    /// Spellings DOKU itself sends that are not in the list: its own "Full Request" sample uses <c>gift-and-flowers</c>
    /// with Indodana, and its "Full Response" echoes it, so DOKU accepts it; so does Lunas.
    /// </summary>
    public static readonly IReadOnlySet<string> IndodanaCategoryAliases = new HashSet<string>(StringComparer.Ordinal) { "gift-and-flowers" };

    /// <summary>
    /// Validates every field and returns the channels the order offers: the requested ones, or when none are requested
    /// every channel in <paramref name="enabled"/> (null: all) whose conditions the request meets.
    /// </summary>
    public static IReadOnlyList<PaymentMethod> Validate(CheckoutRequest request, IReadOnlyCollection<string>? enabled,
        List<string> errors)
    {
        ValidateFields(request, errors);
        return ChooseChannels(request, enabled, errors);
    }

    /// <summary>Checks types already read, lengths and allowed values of every field, regardless of channel.</summary>
    public static void ValidateFields(CheckoutRequest request, List<string> errors)
    {
        var order = request.Order;
        // A field the reader already reported (wrong type) is not reported again as missing.
        if (!HasError(errors, "order.invoice_number"))
        {
            if (string.IsNullOrWhiteSpace(order.InvoiceNumber))
            {
                errors.Add("order.invoice_number must be filled");
            }
            else if (MaxLength(order.InvoiceNumber, MaxInvoiceLength, "order.invoice_number", errors)
                     && order.InvoiceNumber.Any(char.IsControl))
            {
                errors.Add("order.invoice_number must not contain control characters");
            }
        }
        if (!HasError(errors, "order.amount"))
        {
            if (order.Amount <= 0)
            {
                errors.Add("order.amount must greater than 0");
            }
            else if (order.Amount > MaxAmount)
            {
                errors.Add("order.amount max length is 12 digits");
            }
        }
        if (order.Currency is not null && !IsoCodes.Currencies.Contains(order.Currency))
        {
            errors.Add("order.currency must be a 3-letter ISO 4217 currency code");
        }
        Url(order.CallbackUrl, "order.callback_url", errors);
        Url(order.CallbackUrlCancel, "order.callback_url_cancel", errors);
        Url(order.CallbackUrlResult, "order.callback_url_result", errors);
        if (order.Language is not null && !Languages.Contains(order.Language.ToUpperInvariant()))
        {
            errors.Add("order.language must be one of EN, ID");
        }
        if (order.ExpiredRecoveredCart is { } recovered && (recovered < 1 || recovered > MaxExpiredRecoveredCart))
        {
            errors.Add($"order.expired_recovered_cart must be between 1 and {MaxExpiredRecoveredCart} minutes");
        }
        if (order.LineItems is { } items)
        {
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                var path = $"order.line_items[{i}]";
                MaxLength(item.Id, 64, path + ".id", errors);
                MaxLength(item.Name, 255, path + ".name", errors);
                MaxLength(item.Sku, GenericMaxLength, path + ".sku", errors);
                MaxLength(item.Category, GenericMaxLength, path + ".category", errors);
                MaxLength(item.Type, GenericMaxLength, path + ".type", errors);
                Url(item.Url, path + ".url", errors);
                Url(item.ImageUrl, path + ".image_url", errors);
                if (item.Price is < 0 or > MaxAmount)
                {
                    errors.Add($"{path}.price must be between 0 and {MaxAmount}");
                }
                if (item.Quantity is < 1 or > 999_999)
                {
                    errors.Add($"{path}.quantity must be between 1 and 999999");
                }
            }
        }

        if (request.Payment is { } payment)
        {
            if (payment.PaymentDueDate is { } due && (due < 1 || due > MaxPaymentDueDate))
            {
                errors.Add("payment.payment_due_date must be between 1 and 999999 minutes (at most 6 digits)");
            }
            if (payment.Type is not null && !PaymentTypes.Contains(payment.Type))
            {
                errors.Add("payment.type must be one of SALE, INSTALLMENT, AUTHORIZE");
            }
            if (payment.PaymentMethodTypes is { } types)
            {
                for (var i = 0; i < types.Count; i++)
                {
                    if (PaymentMethods.Find(types[i]) is null && !HasError(errors, $"payment.payment_method_types[{i}]"))
                    {
                        errors.Add($"payment.payment_method_types[{i}] {Quote(types[i])} is not a DOKU payment method");
                    }
                }
            }
        }

        if (request.Customer is { } customer)
        {
            MaxLength(customer.Id, 50, "customer.id", errors);
            if (MaxLength(customer.Name, 255, "customer.name", errors) && customer.Name is { } name
                && !name.All(c => char.IsLetter(c) || c is ' ' or '.' or '\'' or '-' or ','))
            {
                errors.Add("customer.name must contain letters only");
            }
            MaxLength(customer.LastName, 16, "customer.last_name", errors);
            Phone(customer.Phone, "customer.phone", errors);
            if (MaxLength(customer.Email, 128, "customer.email", errors) && customer.Email is { } email && !IsEmail(email))
            {
                errors.Add("customer.email must be an email address");
            }
            MaxLength(customer.Address, 400, "customer.address", errors);
            MaxLength(customer.Postcode, 16, "customer.postcode", errors);
            MaxLength(customer.State, GenericMaxLength, "customer.state", errors);
            MaxLength(customer.City, GenericMaxLength, "customer.city", errors);
            if (customer.Country is not null && !IsoCodes.CountryAlpha2.Contains(customer.Country))
            {
                errors.Add("customer.country must be a 2-letter ISO 3166-1 country code");
            }
        }
        Address(request.ShippingAddress, "shipping_address", errors);
        Address(request.BillingAddress, "billing_address", errors);

        if (request.AdditionalInfo is { } info)
        {
            if (info.AllowTenor is { } tenors)
            {
                for (var i = 0; i < tenors.Count; i++)
                {
                    if (!Tenors.Contains(tenors[i]) && !HasError(errors, $"additional_info.allow_tenor[{i}]"))
                    {
                        errors.Add($"additional_info.allow_tenor[{i}] must be one of 0, 3, 6, 12");
                    }
                }
            }
            Url(info.DokuWalletNotifyUrl, "additional_info.doku_wallet_notify_url", errors);
            Url(info.OverrideNotificationUrl, "additional_info.override_notification_url", errors);
        }
    }

    /// <summary>
    /// The channels the order offers. A requested channel that is not enabled or whose conditions are unmet adds
    /// errors; unrequested channels whose conditions are unmet are silently left out.
    /// </summary>
    public static IReadOnlyList<PaymentMethod> ChooseChannels(CheckoutRequest request, IReadOnlyCollection<string>? enabled,
        List<string> errors)
    {
        var cardOnly = request.Payment?.Type is "INSTALLMENT" or "AUTHORIZE";
        var requested = request.Payment?.PaymentMethodTypes;
        var offered = new List<PaymentMethod>();
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
                    errors.Add($"payment.payment_method_types[{i}] {method.Value} is not enabled for this merchant");
                    continue;
                }
                if (cardOnly && method.Family != ChannelFamily.Card)
                {
                    errors.Add($"payment.type {request.Payment!.Type} is only applicable to card channels, not {method.Value}");
                    continue;
                }
                CheckChannel(method, request, errors);
                offered.Add(method);
            }
            return offered;
        }

        var scratch = new List<string>();
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
            errors.Add("payment.payment_method_types none of the merchant's channels can take this order");
        }
        return offered;
    }

    /// <summary>Adds an error for every condition of <paramref name="method"/> that the request does not meet.</summary>
    public static void CheckChannel(PaymentMethod method, CheckoutRequest request, List<string> errors)
    {
        var needs = method.Needs;
        var channel = method.Value;
        var order = request.Order;
        if (needs.HasFlag(ChannelNeeds.ShortInvoice) && order.InvoiceNumber.Length > MaxCardInvoiceLength)
        {
            errors.Add($"order.invoice_number max length is {MaxCardInvoiceLength} for {channel}");
        }
        if (needs.HasFlag(ChannelNeeds.NoSymbols) && order.InvoiceNumber.Any(c => !char.IsAsciiLetterOrDigit(c)))
        {
            errors.Add($"order.invoice_number must not contain symbols for {channel}");
        }
        if (needs.HasFlag(ChannelNeeds.CallbackUrl) && string.IsNullOrWhiteSpace(order.CallbackUrl))
        {
            errors.Add($"order.callback_url must be filled for {channel}");
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

    private static void CheckLineItems(ChannelNeeds needs, string channel, CheckoutRequest request, List<string> errors)
    {
        var items = request.Order.LineItems;
        if (items is not { Count: > 0 })
        {
            errors.Add($"order.line_items must be filled for {channel}");
            return;
        }
        decimal total = 0;
        var complete = true;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var path = $"order.line_items[{i}]";
            if (HasError(errors, path)) continue; // not an object: already reported as such
            Required(item.Name, path + ".name", channel, errors);
            if (item.Price is null)
            {
                errors.Add($"{path}.price must be filled for {channel}");
                complete = false;
            }
            if (item.Quantity is null)
            {
                errors.Add($"{path}.quantity must be filled for {channel}");
                complete = false;
            }
            if (item.Price is { } price && item.Quantity is { } quantity)
            {
                // Clamped and summed as decimal so no input can overflow; out-of-range values are reported by ValidateFields.
                total += Math.Clamp(price, 0, MaxAmount) * Math.Clamp(quantity, 0, 999_999);
            }
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
                errors.Add($"{path}.category {Quote(category)} is not an Indodana category for {channel}"
                           + (hint is null ? "" : $" (did you mean \"{hint}\"?)"));
            }
            if (needs.HasFlag(ChannelNeeds.NoSymbols))
            {
                if (item.Id is not null && item.Id.Any(c => !char.IsAsciiLetterOrDigit(c)))
                {
                    errors.Add($"{path}.id must not contain symbols for {channel}");
                }
                if (item.Name is not null && item.Name.Any(c => !char.IsLetterOrDigit(c) && c != ' '))
                {
                    errors.Add($"{path}.name must not contain symbols for {channel}");
                }
            }
        }
        if (complete && total != request.Order.Amount)
        {
            errors.Add($"order.line_items total of price × quantity ({total}) must equal order.amount ({request.Order.Amount}) for {channel}");
        }
    }

    private static void RequiredAddress(AddressInfo? address, string path, string channel, bool lastName, List<string> errors)
    {
        if (address is null)
        {
            errors.Add($"{path} must be filled for {channel}");
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

    private static void Required(string? value, string path, string channel, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{path} must be filled for {channel}");
        }
    }

    private static void Address(AddressInfo? address, string path, List<string> errors)
    {
        if (address is null)
        {
            return;
        }
        MaxLength(address.FirstName, GenericMaxLength, path + ".first_name", errors);
        MaxLength(address.LastName, GenericMaxLength, path + ".last_name", errors);
        MaxLength(address.Address, 400, path + ".address", errors);
        MaxLength(address.City, GenericMaxLength, path + ".city", errors);
        MaxLength(address.PostalCode, 16, path + ".postal_code", errors);
        Phone(address.Phone, path + ".phone", errors);
        if (address.CountryCode is { } code
            && !IsoCodes.CountryAlpha2.Contains(code) && !IsoCodes.CountryAlpha3.Contains(code))
        {
            errors.Add($"{path}.country_code must be an ISO 3166-1 country code");
        }
    }

    /// <summary>
    /// True when the merchant enabled the channel under this value or under another spelling of it
    /// (<c>EMONEY_SHOPEE_PAY</c> / <c>EMONEY_SHOPEEPAY</c>): the spec accepts both.
    /// </summary>
    private static bool IsEnabled(PaymentMethod method, IReadOnlyCollection<string>? enabled)
        => enabled is null || enabled.Contains(method.Value)
           || PaymentMethods.All.Any(other => (other.IsAlias || method.IsAlias) && other.ServiceId == method.ServiceId
                                              && other.AcquirerId == method.AcquirerId && enabled.Contains(other.Value));

    /// <summary>True when the reader already reported this field (a wrong type), so it is not reported twice.</summary>
    private static bool HasError(List<string> errors, string path)
    {
        foreach (var error in errors)
        {
            if (error.Length > path.Length && error.StartsWith(path, StringComparison.Ordinal) && error[path.Length] == ' ')
            {
                return true;
            }
        }
        return false;
    }

    private static bool MaxLength(string? value, int max, string path, List<string> errors)
    {
        if (value is not null && value.Length > max)
        {
            errors.Add($"{path} max length is {max}");
            return false;
        }
        return true;
    }

    private static void Phone(string? value, string path, List<string> errors)
    {
        if (value is null || !MaxLength(value, 16, path, errors))
        {
            return;
        }
        var digits = value.StartsWith('+') ? value.AsSpan(1) : value.AsSpan();
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9'))
        {
            errors.Add($"{path} must be digits, optionally after a +");
        }
    }

    private static void Url(string? value, string path, List<string> errors)
    {
        if (value is null || !MaxLength(value, MaxUrlLength, path, errors))
        {
            return;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{path} must be an absolute http or https URL");
        }
    }

    private static bool IsEmail(string value)
    {
        var at = value.IndexOf('@');
        return at > 0 && at == value.LastIndexOf('@') && at < value.Length - 1 && !value.Any(char.IsWhiteSpace);
    }

    private static bool Near(string a, string b)
    {
        // One edit apart: enough to catch "gift-and-flowers" for "gifts-and-flowers".
        if (Math.Abs(a.Length - b.Length) > 1) return false;
        int i = 0, j = 0, edits = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j]) { i++; j++; continue; }
            if (++edits > 1) return false;
            if (a.Length > b.Length) i++;
            else if (b.Length > a.Length) j++;
            else { i++; j++; }
        }
        return edits + (a.Length - i) + (b.Length - j) <= 1;
    }

    private static string Quote(string value) => value.Length > 40 ? $"\"{value[..40]}…\"" : $"\"{value}\"";
}

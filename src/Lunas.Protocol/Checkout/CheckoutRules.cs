using Lunas.Protocol.Channels;

namespace Lunas.Protocol.Checkout;

/// <summary>
/// The rules of DOKU's create-payment page as data plus small functions. One pass collects every problem; each
/// message starts with the field path it is about.
/// </summary>
public static partial class CheckoutRules
{
    /// <summary>
    /// Validates every field and returns the channels the order offers: the requested ones, or when none are requested
    /// every channel in <paramref name="enabled"/> (null: all) whose conditions the request meets.
    /// </summary>
    public static IReadOnlyList<PaymentMethod> Validate(CheckoutRequest request, IReadOnlyCollection<string>? enabled,
        ValidationErrors errors)
    {
        ValidateFields(request, errors);
        return ChooseChannels(request, enabled, errors);
    }

    /// <summary>Checks types already read, lengths and allowed values of every field, regardless of channel.</summary>
    public static void ValidateFields(CheckoutRequest request, ValidationErrors errors)
    {
        ValidateOrder(request.Order, errors);
        if (request.Order.LineItems is { } items) ValidateLineItems(items, errors);
        if (request.Payment is { } payment) ValidatePayment(payment, errors);
        if (request.Customer is { } customer) ValidateCustomer(customer, errors);
        Address(request.ShippingAddress, "shipping_address", errors);
        Address(request.BillingAddress, "billing_address", errors);
        if (request.AdditionalInfo is { } info) ValidateAdditionalInfo(info, errors);
    }

    private static void ValidateOrder(OrderInfo order, ValidationErrors errors)
    {
        // A field the reader already reported (wrong type) is not reported again as missing.
        if (!errors.Has("order.invoice_number"))
        {
            if (string.IsNullOrWhiteSpace(order.InvoiceNumber))
            {
                errors.Add("order.invoice_number", "must be filled");
            }
            else if (MaxLength(order.InvoiceNumber, MaxInvoiceLength, "order.invoice_number", errors)
                     && order.InvoiceNumber.Any(char.IsControl))
            {
                errors.Add("order.invoice_number", "must not contain control characters");
            }
        }
        if (!errors.Has("order.amount"))
        {
            if (order.Amount <= 0)
            {
                errors.Add("order.amount", "must greater than 0");
            }
            else if (order.Amount > MaxAmount)
            {
                errors.Add("order.amount", $"max length is {MaxAmountDigits} digits");
            }
        }
        if (order.Currency is not null && !IsoCodes.Currencies.Contains(order.Currency))
        {
            errors.Add("order.currency", "must be a 3-letter ISO 4217 currency code");
        }
        Url(order.CallbackUrl, "order.callback_url", errors);
        Url(order.CallbackUrlCancel, "order.callback_url_cancel", errors);
        Url(order.CallbackUrlResult, "order.callback_url_result", errors);
        if (order.Language is not null && !Languages.Contains(order.Language.ToUpperInvariant()))
        {
            errors.Add("order.language", "must be one of " + LanguagesText);
        }
        if (order.ExpiredRecoveredCart is { } recovered && (recovered < 1 || recovered > MaxExpiredRecoveredCart))
        {
            errors.Add("order.expired_recovered_cart", $"must be between 1 and {MaxExpiredRecoveredCart} minutes");
        }
    }

    private static void ValidateLineItems(List<LineItem> items, ValidationErrors errors)
    {
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var path = $"order.line_items[{i}]";
            MaxLength(item.Id, MaxLineItemIdLength, path + ".id", errors);
            MaxLength(item.Name, TextLength, path + ".name", errors);
            MaxLength(item.Sku, TextLength, path + ".sku", errors);
            MaxLength(item.Category, TextLength, path + ".category", errors);
            MaxLength(item.Type, TextLength, path + ".type", errors);
            Url(item.Url, path + ".url", errors);
            Url(item.ImageUrl, path + ".image_url", errors);
            if (item.Price is < 0 or > MaxAmount)
            {
                errors.Add(path + ".price", $"must be between 0 and {MaxAmount}");
            }
            if (item.Quantity is < 1 or > MaxQuantity)
            {
                errors.Add(path + ".quantity", $"must be between 1 and {MaxQuantity}");
            }
        }
    }

    private static void ValidatePayment(PaymentInfo payment, ValidationErrors errors)
    {
        if (payment.PaymentDueDate is { } due && (due < 1 || due > MaxPaymentDueDate))
        {
            errors.Add("payment.payment_due_date", $"must be between 1 and {MaxPaymentDueDate} minutes (at most {MaxPaymentDueDateDigits} digits)");
        }
        if (payment.Type is not null && !PaymentTypes.Contains(payment.Type))
        {
            errors.Add("payment.type", "must be one of " + PaymentTypesText);
        }
        if (payment.PaymentMethodTypes is { } types)
        {
            for (var i = 0; i < types.Count; i++)
            {
                if (PaymentMethods.Find(types[i]) is null && !errors.Has($"payment.payment_method_types[{i}]"))
                {
                    errors.Add($"payment.payment_method_types[{i}]", $"{Quote(types[i])} is not a DOKU payment method");
                }
            }
        }
    }

    private static void ValidateCustomer(CustomerInfo customer, ValidationErrors errors)
    {
        MaxLength(customer.Id, MaxCustomerIdLength, "customer.id", errors);
        if (MaxLength(customer.Name, TextLength, "customer.name", errors) && customer.Name is { } name
            && !name.All(c => char.IsLetter(c) || c is ' ' or '.' or '\'' or '-' or ','))
        {
            errors.Add("customer.name", "must contain letters only");
        }
        MaxLength(customer.LastName, ShortTextLength, "customer.last_name", errors);
        Phone(customer.Phone, "customer.phone", errors);
        if (MaxLength(customer.Email, MaxEmailLength, "customer.email", errors) && customer.Email is { } email && !IsEmail(email))
        {
            errors.Add("customer.email", "must be an email address");
        }
        MaxLength(customer.Address, MaxAddressLength, "customer.address", errors);
        MaxLength(customer.Postcode, ShortTextLength, "customer.postcode", errors);
        MaxLength(customer.State, TextLength, "customer.state", errors);
        MaxLength(customer.City, TextLength, "customer.city", errors);
        if (customer.Country is not null && !IsoCodes.CountryAlpha2.Contains(customer.Country))
        {
            errors.Add("customer.country", "must be a 2-letter ISO 3166-1 country code");
        }
    }

    private static void ValidateAdditionalInfo(AdditionalInfo info, ValidationErrors errors)
    {
        if (info.AllowTenor is { } tenors)
        {
            for (var i = 0; i < tenors.Count; i++)
            {
                if (!Tenors.Contains(tenors[i]) && !errors.Has($"additional_info.allow_tenor[{i}]"))
                {
                    errors.Add($"additional_info.allow_tenor[{i}]", "must be one of " + TenorsText);
                }
            }
        }
        Url(info.DokuWalletNotifyUrl, "additional_info.doku_wallet_notify_url", errors);
        Url(info.OverrideNotificationUrl, "additional_info.override_notification_url", errors);
    }

    private static void Address(AddressInfo? address, string path, ValidationErrors errors)
    {
        if (address is null)
        {
            return;
        }
        MaxLength(address.FirstName, TextLength, path + ".first_name", errors);
        MaxLength(address.LastName, TextLength, path + ".last_name", errors);
        MaxLength(address.Address, MaxAddressLength, path + ".address", errors);
        MaxLength(address.City, TextLength, path + ".city", errors);
        MaxLength(address.PostalCode, ShortTextLength, path + ".postal_code", errors);
        Phone(address.Phone, path + ".phone", errors);
        if (address.CountryCode is { } code
            && !IsoCodes.CountryAlpha2.Contains(code) && !IsoCodes.CountryAlpha3.Contains(code))
        {
            errors.Add(path + ".country_code", "must be an ISO 3166-1 country code");
        }
    }

    /// <summary>
    /// True when the merchant enabled the channel under this value or under another spelling of it
    /// (<c>EMONEY_SHOPEE_PAY</c> / <c>EMONEY_SHOPEEPAY</c>): the spec accepts both.
    /// </summary>
    /// <remarks>A loop, not a lambda: this runs for every channel of every create, and a lambda capturing the
    /// parameters allocated its closure on each call, even when every channel is enabled.</remarks>
    private static bool IsEnabled(PaymentMethod method, IReadOnlyCollection<string>? enabled)
    {
        if (enabled is null || enabled.Contains(method.Value)) return true;
        var all = PaymentMethods.All;
        for (var i = 0; i < all.Count; i++)
        {
            var other = all[i];
            if ((other.IsAlias || method.IsAlias) && other.ServiceId == method.ServiceId
                && other.AcquirerId == method.AcquirerId && enabled.Contains(other.Value))
            {
                return true;
            }
        }
        return false;
    }

    private static bool MaxLength(string? value, int max, string path, ValidationErrors errors)
    {
        if (value is not null && value.Length > max)
        {
            errors.Add(path, $"max length is {max}");
            return false;
        }
        return true;
    }

    private static void Phone(string? value, string path, ValidationErrors errors)
    {
        if (value is null || !MaxLength(value, MaxPhoneLength, path, errors))
        {
            return;
        }
        var digits = value.StartsWith('+') ? value.AsSpan(1) : value.AsSpan();
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9'))
        {
            errors.Add(path, "must be digits, optionally after a +");
        }
    }

    private static void Url(string? value, string path, ValidationErrors errors)
    {
        if (value is null || !MaxLength(value, MaxUrlLength, path, errors))
        {
            return;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add(path, "must be an absolute http or https URL");
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

    // Echoed values are cut so a huge one cannot blow up the error body.
    private const int QuotedLength = 40;

    private static string Quote(string value) => value.Length > QuotedLength ? $"\"{value[..QuotedLength]}…\"" : $"\"{value}\"";
}

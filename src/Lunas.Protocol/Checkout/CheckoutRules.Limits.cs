namespace Lunas.Protocol.Checkout;

/// <summary>The limits and allowed values of the seed page, named once; the rules and their messages read them.</summary>
public static partial class CheckoutRules
{
    /// <summary>Minutes a checkout page stays payable when <c>payment.payment_due_date</c> is omitted.</summary>
    public const int DefaultPaymentDueDate = 60;

    /// <summary>Minutes the order's page stays payable: <c>payment.payment_due_date</c>, else <see cref="DefaultPaymentDueDate"/>.</summary>
    public static long PaymentDueMinutes(CheckoutRequest request) => request.Payment?.PaymentDueDate ?? DefaultPaymentDueDate;

    /// <summary>Largest amount: <see cref="MaxAmountDigits"/> digits.</summary>
    public const long MaxAmount = 999_999_999_999;

    /// <summary>Digits of <see cref="MaxAmount"/>.</summary>
    public const int MaxAmountDigits = 12;

    /// <summary>Largest <c>payment.payment_due_date</c>: 6 digits.</summary>
    public const long MaxPaymentDueDate = 999_999;

    /// <summary>Digits of <see cref="MaxPaymentDueDate"/>.</summary>
    public const int MaxPaymentDueDateDigits = 6;

    /// <summary>Largest <c>order.expired_recovered_cart</c>, in minutes (31 days).</summary>
    public const long MaxExpiredRecoveredCart = 44_640;

    /// <summary>Longest invoice number.</summary>
    public const int MaxInvoiceLength = 64;

    /// <summary>Longest invoice number when a card acquirer may see it.</summary>
    public const int MaxCardInvoiceLength = 30;

    /// <summary>Longest URL accepted in any URL field.</summary>
    public const int MaxUrlLength = 2048;

    /// <summary>Longest free-text field (names, SKUs, categories, cities) unless a shorter limit is named.</summary>
    public const int TextLength = 255;

    /// <summary>Longest short code field: last name, postcode, postal code.</summary>
    public const int ShortTextLength = 16;

    /// <summary>Longest <c>order.line_items[].id</c>.</summary>
    public const int MaxLineItemIdLength = 64;

    /// <summary>Longest <c>customer.id</c>.</summary>
    public const int MaxCustomerIdLength = 50;

    /// <summary>Longest <c>customer.email</c>.</summary>
    public const int MaxEmailLength = 128;

    /// <summary>Longest street address.</summary>
    public const int MaxAddressLength = 400;

    /// <summary>Longest phone number, a leading + included.</summary>
    public const int MaxPhoneLength = 16;

    /// <summary>Most <c>order.line_items</c> read; far above any real cart, so a huge body costs bounded work.</summary>
    public const int MaxLineItems = 1_000;

    /// <summary>Most <c>payment.payment_method_types</c> read (DOKU has fewer than 60 channels).</summary>
    public const int MaxPaymentMethodTypes = 100;

    /// <summary>Most <c>additional_info.allow_tenor</c> entries read.</summary>
    public const int MaxTenors = 100;

    /// <summary>Largest <c>order.line_items[].quantity</c>.</summary>
    public const long MaxQuantity = 999_999;

    /// <summary>Values of <c>payment.type</c>.</summary>
    public static readonly IReadOnlyList<string> PaymentTypes = ["SALE", "INSTALLMENT", "AUTHORIZE"];

    /// <summary>Values of <c>order.language</c>.</summary>
    public static readonly IReadOnlyList<string> Languages = ["EN", "ID"];

    /// <summary>Values of <c>additional_info.allow_tenor</c>.</summary>
    public static readonly IReadOnlyList<int> Tenors = [0, 3, 6, 12];

    private static readonly string PaymentTypesText = string.Join(", ", PaymentTypes);
    private static readonly string LanguagesText = string.Join(", ", Languages);
    private static readonly string TenorsText = string.Join(", ", Tenors);

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
}

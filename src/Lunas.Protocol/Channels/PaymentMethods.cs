namespace Lunas.Protocol.Channels;

/// <summary>How the hosted page groups channels, and which flow a channel uses.</summary>
public enum ChannelFamily
{
    /// <summary>Bank virtual account transfer.</summary>
    VirtualAccount,
    /// <summary>Credit or debit card.</summary>
    Card,
    /// <summary>E-money wallet.</summary>
    EMoney,
    /// <summary>QRIS code.</summary>
    Qris,
    /// <summary>Convenience store payment code.</summary>
    ConvenienceStore,
    /// <summary>Paylater (peer-to-peer lending).</summary>
    Paylater,
    /// <summary>Direct debit with an OTP.</summary>
    DirectDebit,
    /// <summary>Internet banking redirect.</summary>
    OnlineBanking,
}

/// <summary>What a channel needs from the create-payment request (the seed page's conditional rules).</summary>
[Flags]
public enum ChannelNeeds
{
    /// <summary>Nothing beyond order and payment.</summary>
    None = 0,
    /// <summary>Line items with name, price and quantity whose Σ price × quantity equals the amount.</summary>
    LineItems = 1 << 0,
    /// <summary>Each line item has an id.</summary>
    LineItemId = 1 << 1,
    /// <summary>Each line item has sku and category.</summary>
    LineItemSkuCategory = 1 << 2,
    /// <summary>Each line item has a url (Kredivo).</summary>
    LineItemUrl = 1 << 3,
    /// <summary>Each line item has image_url (Indodana).</summary>
    LineItemImageUrl = 1 << 4,
    /// <summary>Each line item has a type (Indodana, Kredivo).</summary>
    LineItemType = 1 << 5,
    /// <summary>Line item categories from the Indodana list.</summary>
    IndodanaCategory = 1 << 6,
    /// <summary>customer.id (tokenized channels, Akulaku).</summary>
    CustomerId = 1 << 7,
    /// <summary>customer.name.</summary>
    CustomerName = 1 << 8,
    /// <summary>customer.email.</summary>
    CustomerEmail = 1 << 9,
    /// <summary>customer.phone.</summary>
    CustomerPhone = 1 << 10,
    /// <summary>customer address, postcode, state and city (Akulaku).</summary>
    CustomerAddress = 1 << 11,
    /// <summary>A complete shipping_address.</summary>
    ShippingAddress = 1 << 12,
    /// <summary>A complete billing_address.</summary>
    BillingAddress = 1 << 13,
    /// <summary>order.callback_url (Jenius).</summary>
    CallbackUrl = 1 << 14,
    /// <summary>Invoice number of at most 30 characters (card acquirers).</summary>
    ShortInvoice = 1 << 15,
    /// <summary>No symbols in the invoice number and line item ids and names (KKI).</summary>
    NoSymbols = 1 << 16,
}

/// <summary>One <c>payment_method_types</c> value and what it means.</summary>
/// <param name="Value">The wire value, e.g. <c>VIRTUAL_ACCOUNT_BCA</c>.</param>
/// <param name="Family">The flow and page group.</param>
/// <param name="ServiceId">The notification's <c>service.id</c>.</param>
/// <param name="AcquirerId">The notification's <c>acquirer.id</c>.</param>
/// <param name="DisplayName">The name shown on the page.</param>
/// <param name="Needs">The request fields the channel requires.</param>
/// <param name="IsAlias">Another spelling of a channel (accepted when requested, not offered twice by default).</param>
public sealed record PaymentMethod(string Value, ChannelFamily Family, string ServiceId, string AcquirerId,
    string DisplayName, ChannelNeeds Needs = ChannelNeeds.None, bool IsAlias = false);

/// <summary>The catalogue of DOKU Checkout channels (seed page and spec section 5).</summary>
public static class PaymentMethods
{
    private const ChannelNeeds Paylater = ChannelNeeds.LineItems | ChannelNeeds.LineItemId | ChannelNeeds.CustomerName;

    /// <summary>Every channel, in the order the page shows them.</summary>
    public static readonly IReadOnlyList<PaymentMethod> All =
    [
        Va("VIRTUAL_ACCOUNT_BCA", "BCA", "BCA"),
        Va("VIRTUAL_ACCOUNT_BANK_MANDIRI", "BANK_MANDIRI", "Mandiri"),
        Va("VIRTUAL_ACCOUNT_BANK_SYARIAH_MANDIRI", "BANK_SYARIAH_MANDIRI", "Bank Syariah Mandiri"),
        Va("VIRTUAL_ACCOUNT_BSI", "BSI", "BSI"),
        Va("VIRTUAL_ACCOUNT_DOKU", "DOKU", "DOKU"),
        Va("VIRTUAL_ACCOUNT_BRI", "BRI", "BRI"),
        Va("VIRTUAL_ACCOUNT_BNI", "BNI", "BNI"),
        Va("VIRTUAL_ACCOUNT_BANK_PERMATA", "BANK_PERMATA", "Permata"),
        Va("VIRTUAL_ACCOUNT_BANK_CIMB", "BANK_CIMB", "CIMB Niaga"),
        Va("VIRTUAL_ACCOUNT_BANK_DANAMON", "BANK_DANAMON", "Danamon"),
        Va("VIRTUAL_ACCOUNT_MAYBANK", "MAYBANK", "Maybank"),
        Va("VIRTUAL_ACCOUNT_SINARMAS", "SINARMAS", "Sinarmas"),
        Va("VIRTUAL_ACCOUNT_BTN", "BTN", "BTN"),
        Va("VIRTUAL_ACCOUNT_BNC", "BNC", "BNC"),
        new("CREDIT_CARD", ChannelFamily.Card, "CREDIT_CARD", "BANK_MANDIRI", "Credit / debit card", ChannelNeeds.ShortInvoice),
        new("KARTU_KREDIT_INDONESIA", ChannelFamily.Card, "CREDIT_CARD", "KKI", "Kartu Kredit Indonesia",
            ChannelNeeds.ShortInvoice | ChannelNeeds.NoSymbols | ChannelNeeds.LineItems),
        new("GOOGLE_PAY", ChannelFamily.Card, "CREDIT_CARD", "GOOGLE_PAY", "Google Pay", ChannelNeeds.ShortInvoice),
        new("EMONEY_OVO", ChannelFamily.EMoney, "EMONEY", "OVO", "OVO"),
        new("EMONEY_DANA", ChannelFamily.EMoney, "EMONEY", "DANA", "DANA"),
        new("EMONEY_SHOPEE_PAY", ChannelFamily.EMoney, "EMONEY", "SHOPEE_PAY", "ShopeePay"),
        new("EMONEY_SHOPEEPAY", ChannelFamily.EMoney, "EMONEY", "SHOPEE_PAY", "ShopeePay", IsAlias: true),
        new("EMONEY_LINKAJA", ChannelFamily.EMoney, "EMONEY", "LINKAJA", "LinkAja"),
        new("EMONEY_DOKU", ChannelFamily.EMoney, "EMONEY", "DOKU", "DOKU Wallet"),
        new("QRIS", ChannelFamily.Qris, "QRIS", "NOBU", "QRIS"),
        new("ONLINE_TO_OFFLINE_ALFA", ChannelFamily.ConvenienceStore, "ONLINE_TO_OFFLINE", "ALFA", "Alfamart"),
        new("ONLINE_TO_OFFLINE_INDOMARET", ChannelFamily.ConvenienceStore, "ONLINE_TO_OFFLINE", "INDOMARET", "Indomaret"),
        new("PEER_TO_PEER_AKULAKU", ChannelFamily.Paylater, "PEER_TO_PEER", "AKULAKU", "Akulaku",
            Paylater | ChannelNeeds.LineItemSkuCategory | ChannelNeeds.CustomerId | ChannelNeeds.CustomerPhone
            | ChannelNeeds.CustomerAddress),
        new("PEER_TO_PEER_KREDIVO", ChannelFamily.Paylater, "PEER_TO_PEER", "KREDIVO", "Kredivo",
            Paylater | ChannelNeeds.LineItemSkuCategory | ChannelNeeds.LineItemUrl | ChannelNeeds.LineItemType
            | ChannelNeeds.CustomerEmail | ChannelNeeds.CustomerPhone | ChannelNeeds.ShippingAddress),
        new("PEER_TO_PEER_INDODANA", ChannelFamily.Paylater, "PEER_TO_PEER", "INDODANA", "Indodana",
            Paylater | ChannelNeeds.LineItemSkuCategory | ChannelNeeds.LineItemImageUrl | ChannelNeeds.LineItemType
            | ChannelNeeds.IndodanaCategory | ChannelNeeds.CustomerEmail | ChannelNeeds.CustomerPhone
            | ChannelNeeds.ShippingAddress | ChannelNeeds.BillingAddress),
        new("PEER_TO_PEER_BRI_CERIA", ChannelFamily.Paylater, "PEER_TO_PEER", "BRI_CERIA", "BRI Ceria", ChannelNeeds.LineItems),
        new("DIRECT_DEBIT_BRI", ChannelFamily.DirectDebit, "DIRECT_DEBIT", "BRI", "BRI Direct Debit", ChannelNeeds.CustomerId),
        new("DIRECT_DEBIT_CIMB", ChannelFamily.DirectDebit, "DIRECT_DEBIT", "CIMB", "CIMB Direct Debit"),
        new("DIRECT_DEBIT_ALLO", ChannelFamily.DirectDebit, "DIRECT_DEBIT", "ALLO", "Allo Bank",
            ChannelNeeds.LineItems | ChannelNeeds.LineItemId | ChannelNeeds.CustomerId | ChannelNeeds.CustomerEmail),
        new("JENIUS_PAY", ChannelFamily.OnlineBanking, "JENIUS_PAY", "BTPN", "Jenius Pay",
            ChannelNeeds.LineItems | ChannelNeeds.CustomerName | ChannelNeeds.CallbackUrl),
        new("OCTO_CLICKS", ChannelFamily.OnlineBanking, "ONLINE_BANKING", "BANK_CIMB", "OCTO Clicks"),
        new("EPAY_BRI", ChannelFamily.OnlineBanking, "ONLINE_BANKING", "BRI", "e-Pay BRI"),
        new("DANAMON_ONLINE_BANKING", ChannelFamily.OnlineBanking, "ONLINE_BANKING", "BANK_DANAMON", "Danamon Online Banking"),
        new("PERMATA_NET", ChannelFamily.OnlineBanking, "ONLINE_BANKING", "BANK_PERMATA", "PermataNet"),
        new("KLIKPAY_BCA", ChannelFamily.OnlineBanking, "ONLINE_BANKING", "BCA", "BCA KlikPay"),
    ];

    private static readonly Dictionary<string, PaymentMethod> ByValue = All.ToDictionary(m => m.Value, StringComparer.Ordinal);

    /// <summary>Finds a channel by its wire value (exact, upper case).</summary>
    public static PaymentMethod? Find(string? value)
        => value is not null && ByValue.TryGetValue(value, out var method) ? method : null;

    private static PaymentMethod Va(string value, string acquirer, string bank)
        => new(value, ChannelFamily.VirtualAccount, "VIRTUAL_ACCOUNT", acquirer, bank);
}

using Lunas.Protocol.Checkout;

namespace Lunas.Protocol.Tests;

/// <summary>Builders for valid create-payment requests, to be broken one field at a time by the tests.</summary>
internal static class Requests
{
    // Channels with conditions of their own.
    public const string Akulaku = "PEER_TO_PEER_AKULAKU";
    public const string Kredivo = "PEER_TO_PEER_KREDIVO";
    public const string Indodana = "PEER_TO_PEER_INDODANA";
    public const string BriCeria = "PEER_TO_PEER_BRI_CERIA";
    public const string Jenius = "JENIUS_PAY";
    public const string Kki = "KARTU_KREDIT_INDONESIA";
    public const string Allo = "DIRECT_DEBIT_ALLO";
    public const string BriDirectDebit = "DIRECT_DEBIT_BRI";

    /// <summary>An invoice number every channel accepts: at most 30 characters, no symbols (KKI).</summary>
    public const string PlainInvoice = "INV202102310001";

    /// <summary>The seed's basic request: order and payment only.</summary>
    public static CheckoutRequest Basic() => new()
    {
        Order = new OrderInfo { Amount = 20000, InvoiceNumber = "INV-20210231-0001" },
        Payment = new PaymentInfo { PaymentDueDate = 60 },
    };

    /// <summary>
    /// A request that meets the conditions of every channel (line items summing to the amount with every item field,
    /// a full customer, shipping and billing addresses, a callback URL, a short symbol-free invoice number),
    /// asking for <paramref name="channels"/> only.
    /// </summary>
    public static CheckoutRequest Full(params string[] channels) => new()
    {
        Order = new OrderInfo
        {
            Amount = 80000,
            InvoiceNumber = PlainInvoice,
            Currency = "IDR",
            CallbackUrl = "https://merchant.example.com/back",
            CallbackUrlCancel = "https://merchant.example.com/cancel",
            CallbackUrlResult = "https://merchant.example.com/result",
            Language = "EN",
            AutoRedirect = true,
            LineItems =
            [
                Item("001", "Fresh flowers", 40000, 1, "gifts-and-flowers"),
                Item("002", "T shirt", 20000, 2, "clothing"),
            ],
        },
        Payment = new PaymentInfo { PaymentDueDate = 60, Type = "SALE", PaymentMethodTypes = [.. channels] },
        Customer = new CustomerInfo
        {
            Id = "JC01",
            Name = "Zolanda",
            LastName = "Anggraeni",
            Phone = "628121212121",
            Email = "zolanda@example.com",
            Address = "taman setiabudi",
            Postcode = "120129",
            State = "Jakarta",
            City = "Jakarta Selatan",
            Country = "ID",
        },
        ShippingAddress = Address(),
        BillingAddress = Address(),
        AdditionalInfo = new AdditionalInfo
        {
            AllowTenor = [0, 3, 6, 12],
            DokuWalletNotifyUrl = "https://merchant.example.com/dw",
            OverrideNotificationUrl = "https://merchant.example.com/payments/notifications",
        },
    };

    public static LineItem Item(string id, string name, long price, long quantity, string category) => new()
    {
        Id = id,
        Name = name,
        Price = price,
        Quantity = quantity,
        Sku = "SKU" + id,
        Category = category,
        Url = "https://merchant.example.com/items/" + id,
        ImageUrl = "https://merchant.example.com/images/" + id + ".png",
        Type = "ABC",
    };

    public static AddressInfo Address() => new()
    {
        FirstName = "Joe",
        LastName = "Doe",
        Address = "Jalan DOKU no 15",
        City = "Jakarta",
        PostalCode = "11923",
        Phone = "081312345678",
        CountryCode = "IDN",
    };

    /// <summary>Runs the full validation (fields and channel choice) and returns the errors.</summary>
    public static List<string> Errors(CheckoutRequest request, IReadOnlyCollection<string>? enabled = null)
    {
        var errors = new ValidationErrors();
        CheckoutRules.Validate(request, enabled, errors);
        return errors.Messages();
    }
}

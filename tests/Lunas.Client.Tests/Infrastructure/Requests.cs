using System.Security.Cryptography;
using Lunas.Protocol.Checkout;

namespace Lunas.Client.Tests.Infrastructure;

public static class Requests
{
    /// <summary>A unique invoice number short enough for card channels (at most 30 characters).</summary>
    public static string NewInvoice() => "SDK-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(10));

    /// <summary>The seed page's basic request: order and payment only.</summary>
    public static CheckoutRequest Basic(string? invoice = null, long amount = 20000) => new()
    {
        Order = new OrderInfo { Amount = amount, InvoiceNumber = invoice ?? NewInvoice() },
        Payment = new PaymentInfo { PaymentDueDate = 60 },
    };

    /// <summary>A request using most of the seed page's fields.</summary>
    public static CheckoutRequest Full(string invoice, params string[] channels) => new()
    {
        Order = new OrderInfo
        {
            Amount = 80000,
            InvoiceNumber = invoice,
            Currency = "IDR",
            CallbackUrl = "http://merchantcallbackurl.domain/",
            CallbackUrlCancel = "https://merchantcallbackurl-cancel.domain",
            CallbackUrlResult = "https://merchantcallbackurl-cancel.domain",
            Language = "EN",
            AutoRedirect = true,
            DisableRetryPayment = true,
            RecoverAbandonedCart = true,
            ExpiredRecoveredCart = 2,
            LineItems =
            [
                new LineItem { Id = "001", Name = "Fresh flowers", Quantity = 1, Price = 40000, Sku = "FF01", Category = "gifts-and-flowers",
                    Url = "http://item-url.domain/", ImageUrl = "http://image-url.domain/", Type = "ABC" },
                new LineItem { Id = "002", Name = "T-shirt", Quantity = 1, Price = 40000, Sku = "T01", Category = "clothing",
                    Url = "http://item-url.domain/", ImageUrl = "http://image-url.domain/", Type = "ABC" },
            ],
        },
        Payment = new PaymentInfo { PaymentDueDate = 60, Type = "SALE", PaymentMethodTypes = channels.Length == 0 ? null : [.. channels] },
        Customer = new CustomerInfo
        {
            Id = "JC-01", Name = "Zolanda", LastName = "Anggraeni", Phone = "628121212121", Email = "zolanda@example.com",
            Address = "taman setiabudi", Postcode = "120129", State = "Jakarta", City = "Jakarta Selatan", Country = "ID",
        },
        ShippingAddress = new AddressInfo { FirstName = "Joe", LastName = "Doe", Address = "Jalan DOKU no 15", City = "Jakarta",
            PostalCode = "11923", Phone = "081312345678", CountryCode = "IDN" },
        BillingAddress = new AddressInfo { FirstName = "Joe", LastName = "Doe", Address = "Jalan DOKU no 15", City = "Jakarta",
            PostalCode = "11923", Phone = "081312345678", CountryCode = "IDN" },
        AdditionalInfo = new AdditionalInfo { AllowTenor = [0, 3, 6, 12], DokuWalletNotifyUrl = "https://dw-notification.merchantdomain" },
    };
}

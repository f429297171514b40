using Lunas.Protocol.Checkout;
using static Lunas.Protocol.Tests.Requests;

namespace Lunas.Protocol.Tests;

/// <summary>The seed page's conditional rules: what each requested channel needs from the request.</summary>
public partial class CheckoutRulesTests
{
    // ---- line items (Σ price × quantity = amount) ----------------------------------------------------------------

    public static TheoryData<string> LineItemChannels() => [Akulaku, Kredivo, Indodana, BriCeria, Jenius, Kki, Allo];

    [Theory]
    [MemberData(nameof(LineItemChannels))]
    public void Validate_NoErrors_WhenLineItemsSumToAmount(string channel)
    {
        var request = Full(channel);
        // 40000 × 1 + 20000 × 2 = 80000
        Assert.Equal(request.Order.Amount, request.Order.LineItems!.Sum(i => i.Price!.Value * i.Quantity!.Value));
        Assert.Empty(Errors(request));
    }

    [Theory]
    [MemberData(nameof(LineItemChannels))]
    public void Validate_ReportsLineItemsMustBeFilled_WhenChannelNeedsThemAndNoneSent(string channel)
    {
        var request = Full(channel);
        request.Order.LineItems = null;
        Assert.Equal([$"order.line_items must be filled for {channel}"], Errors(request));

        request.Order.LineItems = [];
        Assert.Equal([$"order.line_items must be filled for {channel}"], Errors(request));
    }

    [Theory]
    [MemberData(nameof(LineItemChannels))]
    public void Validate_ReportsLineItemTotal_WhenSumDiffersFromAmount(string channel)
    {
        var request = Full(channel);
        request.Order.LineItems![1].Quantity = 1; // 40000 + 20000 = 60000 ≠ 80000
        Assert.Equal([$"order.line_items total of price × quantity (60000) must equal order.amount (80000) for {channel}"],
            Errors(request));
    }

    [Theory]
    [MemberData(nameof(LineItemChannels))]
    public void Validate_ReportsLineItemNamePriceQuantity_WhenMissing(string channel)
    {
        var request = Full(channel);
        request.Order.LineItems![0].Name = null;
        request.Order.LineItems[1].Price = null;
        request.Order.LineItems[1].Quantity = null;
        Assert.Equal(
            [
                $"order.line_items[0].name must be filled for {channel}",
                $"order.line_items[1].price must be filled for {channel}",
                $"order.line_items[1].quantity must be filled for {channel}",
            ],
            Errors(request));
    }

    [Fact]
    public void Validate_IgnoresLineItems_WhenNoRequestedChannelNeedsThem()
    {
        var request = Full("VIRTUAL_ACCOUNT_BCA", "QRIS", "CREDIT_CARD");
        request.Order.LineItems![1].Quantity = 1; // the total no longer matches, and nobody needs it to
        request.Order.LineItems[0].Name = null;
        Assert.Empty(Errors(request));
    }

    [Fact]
    public void Validate_ReportsOneTotalErrorPerChannel_WhenSeveralLineItemChannelsRequested()
    {
        var request = Full(Jenius, BriCeria);
        request.Order.Amount = 90000;
        Assert.Equal(
            [
                $"order.line_items total of price × quantity (80000) must equal order.amount (90000) for {Jenius}",
                $"order.line_items total of price × quantity (80000) must equal order.amount (90000) for {BriCeria}",
            ],
            Errors(request));
    }

    [Fact]
    public void Validate_ReportsErrorsWithoutThrowing_WhenLineItemTotalsOverflowInt64()
    {
        var request = Full(Kredivo);
        var huge = new LineItem
        {
            Id = "9", Name = "Huge", Price = CheckoutRules.MaxAmount, Quantity = 999_999, Sku = "S", Category = "clothing",
            Url = "https://merchant.example.com/i", Type = "ABC",
        };
        request.Order.LineItems = [.. Enumerable.Repeat(huge, 20)]; // 20 × ~1e18 > long.MaxValue

        var errors = Errors(request);

        Assert.Single(errors, e => e.StartsWith("order.line_items total of price × quantity", StringComparison.Ordinal)
                                   && e.EndsWith($"must equal order.amount (80000) for {Kredivo}", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ReportsErrorsWithoutThrowing_WhenLineItemPriceIsInt64Min()
    {
        var request = Full(Jenius);
        request.Order.LineItems = [new LineItem { Name = "Odd", Price = long.MinValue, Quantity = 2 }];

        var errors = Errors(request);

        Assert.Contains($"order.line_items[0].price must be between 0 and {CheckoutRules.MaxAmount}", errors);
        Assert.Contains(errors, e => e.StartsWith("order.line_items total of price × quantity", StringComparison.Ordinal));
    }

    // ---- line item ids, sku, category, url, image_url, type ---------------------------------------------------------

    private static void ClearItemField(LineItem item, string field)
    {
        switch (field)
        {
            case "id": item.Id = null; break;
            case "sku": item.Sku = null; break;
            case "category": item.Category = null; break;
            case "url": item.Url = null; break;
            case "image_url": item.ImageUrl = null; break;
            case "type": item.Type = null; break;
            default: throw new ArgumentOutOfRangeException(nameof(field), field, null);
        }
    }

    [Theory]
    [InlineData(Akulaku, "id")]
    [InlineData(Kredivo, "id")]
    [InlineData(Indodana, "id")]
    [InlineData(Allo, "id")]
    [InlineData(Akulaku, "sku")]
    [InlineData(Kredivo, "sku")]
    [InlineData(Indodana, "sku")]
    [InlineData(Akulaku, "category")]
    [InlineData(Kredivo, "category")]
    [InlineData(Indodana, "category")]
    [InlineData(Kredivo, "url")]
    [InlineData(Indodana, "image_url")]
    [InlineData(Kredivo, "type")]
    [InlineData(Indodana, "type")]
    public void Validate_ReportsLineItemField_WhenChannelNeedsItAndItIsMissing(string channel, string field)
    {
        var request = Full(channel);
        ClearItemField(request.Order.LineItems![1], field);
        Assert.Equal([$"order.line_items[1].{field} must be filled for {channel}"], Errors(request));
    }

    [Theory]
    [InlineData(Jenius, "id")]
    [InlineData(BriCeria, "id")]
    [InlineData(Kki, "id")]
    [InlineData(Allo, "sku")]
    [InlineData(Akulaku, "url")]
    [InlineData(Akulaku, "image_url")]
    [InlineData(Kredivo, "image_url")]
    [InlineData(Akulaku, "type")]
    [InlineData(Jenius, "category")]
    public void Validate_NoErrors_WhenLineItemFieldMissingThatChannelDoesNotNeed(string channel, string field)
    {
        var request = Full(channel);
        ClearItemField(request.Order.LineItems![1], field);
        Assert.Empty(Errors(request));
    }

    // ---- Indodana categories --------------------------------------------------------------------------------------

    [Theory]
    [InlineData("gifts-and-flowers")]
    [InlineData("gift-and-flowers")] // the spelling of DOKU's own Full Request sample
    [InlineData("airlines")]
    [InlineData("vehicles-service-and-accessories")]
    public void Validate_AcceptsIndodanaCategory_WhenListed(string category)
    {
        var request = Full(Indodana);
        request.Order.LineItems![0].Category = category;
        Assert.Empty(Errors(request));
    }

    [Theory]
    [InlineData(0, "gifts-and-flower", " (did you mean \"gifts-and-flowers\"?)")] // one edit from a listed category
    [InlineData(1, "snacks", "")] // nothing close: no hint
    public void Validate_ReportsIndodanaCategory_WhenNotListed(int item, string category, string hint)
    {
        var request = Full(Indodana);
        request.Order.LineItems![item].Category = category;
        Assert.Equal(
            [$"order.line_items[{item}].category \"{category}\" is not an Indodana category for {Indodana}{hint}"],
            Errors(request));
    }

    [Theory]
    [InlineData(Akulaku)]
    [InlineData(Kredivo)]
    public void Validate_AcceptsAnyCategory_WhenChannelIsNotIndodana(string channel)
    {
        var request = Full(channel);
        request.Order.LineItems![0].Category = "gift-and-flowers";
        Assert.Empty(Errors(request));
    }

    // ---- customer fields -------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(Akulaku, "id")]
    [InlineData(Akulaku, "name")]
    [InlineData(Akulaku, "phone")]
    [InlineData(Akulaku, "address")]
    [InlineData(Akulaku, "postcode")]
    [InlineData(Akulaku, "state")]
    [InlineData(Akulaku, "city")]
    [InlineData(Kredivo, "name")]
    [InlineData(Kredivo, "email")]
    [InlineData(Kredivo, "phone")]
    [InlineData(Indodana, "name")]
    [InlineData(Indodana, "email")]
    [InlineData(Indodana, "phone")]
    [InlineData(Jenius, "name")]
    [InlineData(Allo, "id")]
    [InlineData(Allo, "email")]
    [InlineData(BriDirectDebit, "id")]
    public void Validate_ReportsCustomerField_WhenChannelNeedsItAndItIsMissing(string channel, string field)
    {
        var request = Full(channel);
        SetCustomerField(request.Customer!, field, null);
        Assert.Equal([$"customer.{field} must be filled for {channel}"], Errors(request));
    }

    [Theory]
    [InlineData(Kredivo, "id")]
    [InlineData(Indodana, "address")]
    [InlineData(Akulaku, "email")]
    [InlineData(BriCeria, "name")]
    [InlineData(Kki, "id")]
    [InlineData("DIRECT_DEBIT_CIMB", "id")]
    public void Validate_NoErrors_WhenCustomerFieldMissingThatChannelDoesNotNeed(string channel, string field)
    {
        var request = Full(channel);
        SetCustomerField(request.Customer!, field, null);
        Assert.Empty(Errors(request));
    }

    [Fact]
    public void Validate_ReportsEveryAkulakuCustomerField_WhenCustomerAbsent()
    {
        var request = Full(Akulaku);
        request.Customer = null;
        Assert.Equal(
            new[] { "id", "name", "phone", "address", "postcode", "state", "city" }
                .Select(f => $"customer.{f} must be filled for {Akulaku}").Order(StringComparer.Ordinal),
            Errors(request).Order(StringComparer.Ordinal));
    }

    // ---- shipping and billing addresses ----------------------------------------------------------------------------

    [Theory]
    [InlineData(Kredivo, "shipping_address")]
    [InlineData(Indodana, "shipping_address")]
    [InlineData(Indodana, "billing_address")]
    public void Validate_ReportsAddressMustBeFilled_WhenChannelNeedsItAndItIsAbsent(string channel, string address)
    {
        var request = Full(channel);
        if (address == "shipping_address") request.ShippingAddress = null; else request.BillingAddress = null;
        Assert.Equal([$"{address} must be filled for {channel}"], Errors(request));
    }

    private static void ClearAddressField(AddressInfo address, string field)
    {
        switch (field)
        {
            case "first_name": address.FirstName = null; break;
            case "last_name": address.LastName = null; break;
            case "address": address.Address = null; break;
            case "city": address.City = null; break;
            case "postal_code": address.PostalCode = null; break;
            case "phone": address.Phone = null; break;
            case "country_code": address.CountryCode = null; break;
            default: throw new ArgumentOutOfRangeException(nameof(field), field, null);
        }
    }

    public static TheoryData<string, string, string> RequiredAddressFields()
    {
        var data = new TheoryData<string, string, string>();
        string[] shipping = ["first_name", "address", "city", "postal_code", "phone", "country_code"];
        foreach (var field in shipping)
        {
            data.Add(Kredivo, "shipping_address", field);
            data.Add(Indodana, "shipping_address", field);
        }
        foreach (var field in (string[])[.. shipping, "last_name"])
        {
            data.Add(Indodana, "billing_address", field);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RequiredAddressFields))]
    public void Validate_ReportsAddressField_WhenChannelNeedsItAndItIsMissing(string channel, string address, string field)
    {
        var request = Full(channel);
        ClearAddressField(address == "shipping_address" ? request.ShippingAddress! : request.BillingAddress!, field);
        Assert.Equal([$"{address}.{field} must be filled for {channel}"], Errors(request));
    }

    [Theory]
    [InlineData(Kredivo)]
    [InlineData(Indodana)]
    public void Validate_NoErrors_WhenShippingLastNameMissing(string channel)
    {
        // Optional on the seed page for shipping (mandatory for billing).
        var request = Full(channel);
        request.ShippingAddress!.LastName = null;
        Assert.Empty(Errors(request));
    }

    [Theory]
    [InlineData(Kredivo)]
    [InlineData(Akulaku)]
    public void Validate_NoErrors_WhenBillingAddressAbsentForChannelOtherThanIndodana(string channel)
    {
        var request = Full(channel);
        request.BillingAddress = null;
        Assert.Empty(Errors(request));
    }

    [Fact]
    public void Validate_NoErrors_WhenAkulakuHasNoShippingAddress()
    {
        var request = Full(Akulaku);
        request.ShippingAddress = null;
        request.BillingAddress = null;
        Assert.Empty(Errors(request));
    }

    // ---- callback_url (Jenius) -------------------------------------------------------------------------------------

    [Fact]
    public void Validate_ReportsCallbackUrl_WhenJeniusRequestedWithoutIt()
    {
        var request = Full(Jenius);
        request.Order.CallbackUrl = null;
        Assert.Equal([$"order.callback_url must be filled for {Jenius}"], Errors(request));
    }

    [Fact]
    public void Validate_NoErrors_WhenCallbackUrlMissingForOtherChannels()
    {
        var request = Full(Kredivo, Indodana, Akulaku, "VIRTUAL_ACCOUNT_BCA");
        request.Order.CallbackUrl = null;
        Assert.Empty(Errors(request));
    }

    // ---- invoice number: 30 characters for cards, no symbols for KKI ------------------------------------------------

    [Theory]
    [InlineData("CREDIT_CARD")]
    [InlineData(Kki)]
    [InlineData("GOOGLE_PAY")]
    public void Validate_AcceptsInvoice_When30CharactersAndCardRequested(string channel)
    {
        var request = Full(channel);
        request.Order.InvoiceNumber = new string('A', 30);
        Assert.Empty(Errors(request));
    }

    [Theory]
    [InlineData("CREDIT_CARD")]
    [InlineData(Kki)]
    [InlineData("GOOGLE_PAY")]
    public void Validate_ReportsInvoiceMaxLength30_When31CharactersAndCardRequested(string channel)
    {
        var request = Full(channel);
        request.Order.InvoiceNumber = new string('A', 31);
        Assert.Equal([$"order.invoice_number max length is 30 for {channel}"], Errors(request));
    }

    public static TheoryData<string, string[]> InvoicesNoRequestedChannelRestricts() => new()
    {
        { new string('A', 40), ["VIRTUAL_ACCOUNT_BCA", "QRIS"] }, // up to 64 when no card is requested
        { "INV-2021/01_A", ["CREDIT_CARD"] }, // symbols when KKI is not requested
    };

    [Theory]
    [MemberData(nameof(InvoicesNoRequestedChannelRestricts))]
    public void Validate_AcceptsInvoice_WhenNoRequestedChannelRestrictsIt(string invoice, string[] channels)
    {
        var request = Full(channels);
        request.Order.InvoiceNumber = invoice;
        Assert.Empty(Errors(request));
    }

    [Theory]
    [InlineData("INV-001")]
    [InlineData("INV_001")]
    [InlineData("INV 001")]
    [InlineData("INV/001")]
    public void Validate_ReportsInvoiceSymbols_WhenKkiRequested(string invoice)
    {
        var request = Full(Kki);
        request.Order.InvoiceNumber = invoice;
        Assert.Equal([$"order.invoice_number must not contain symbols for {Kki}"], Errors(request));
    }

    [Fact]
    public void Validate_ReportsLineItemSymbols_WhenKkiRequested()
    {
        var request = Full(Kki);
        request.Order.LineItems![0].Id = "A-1";
        request.Order.LineItems[1].Name = "T-shirt";
        Assert.Equal(
            [$"order.line_items[0].id must not contain symbols for {Kki}", $"order.line_items[1].name must not contain symbols for {Kki}"],
            Errors(request));
    }
}

using Lunas.Protocol.Channels;
using Lunas.Protocol.Checkout;
using static Lunas.Protocol.Tests.Requests;

namespace Lunas.Protocol.Tests;

/// <summary>Field rules of the seed page (lengths, formats, allowed values).</summary>
public partial class CheckoutRulesTests
{
    [Fact]
    public void Validate_NoErrors_WhenBasicRequest()
    {
        Assert.Empty(Errors(Basic()));
    }

    [Fact]
    public void Validate_NoErrors_WhenFullRequestForAllChannelsWithConditions()
    {
        Assert.Empty(Errors(Full(Akulaku, Kredivo, Indodana, BriCeria, Jenius, Kki, Allo, BriDirectDebit, "CREDIT_CARD")));
    }

    // ---- order.invoice_number -------------------------------------------------------------------------------------

    public static TheoryData<string, string> BadInvoices() => new()
    {
        { "", "order.invoice_number must be filled" },
        { "   ", "order.invoice_number must be filled" },
        { new string('A', 65), "order.invoice_number max length is 64" },
        { "INV-1\nX", "order.invoice_number must not contain control characters" },
    };

    [Theory]
    [MemberData(nameof(BadInvoices))]
    public void Validate_ReportsInvoice_WhenMissingLongerThan64OrHasControlCharacters(string invoice, string expected)
    {
        var request = Basic();
        request.Order.InvoiceNumber = invoice;
        Assert.Equal([expected], Errors(request));
    }

    [Fact]
    public void Validate_AcceptsInvoice_WhenExactly64Characters()
    {
        var request = Basic();
        request.Order.InvoiceNumber = new string('A', 64);
        Assert.Empty(Errors(request));
    }

    // ---- order.amount ---------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(0, "order.amount must greater than 0")]
    [InlineData(-1, "order.amount must greater than 0")]
    [InlineData(1_000_000_000_000, "order.amount max length is 12 digits")]
    public void Validate_ReportsAmount_WhenNotPositiveOrMoreThan12Digits(long amount, string expected)
    {
        var request = Basic();
        request.Order.Amount = amount;
        Assert.Equal([expected], Errors(request));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(999_999_999_999)]
    public void Validate_AcceptsAmount_WhenAtMost12Digits(long amount)
    {
        var request = Basic();
        request.Order.Amount = amount;
        Assert.Empty(Errors(request));
    }

    [Fact]
    public void Validate_ReportsBothSeedErrors_WhenInvoiceAndAmountMissing()
    {
        // The seed's failed-response sample: every problem reported at once.
        var request = Basic();
        request.Order = new OrderInfo();
        var errors = Errors(request);
        Assert.Contains("order.invoice_number must be filled", errors);
        Assert.Contains("order.amount must greater than 0", errors);
    }

    // ---- order.currency, customer.country, order.language ---------------------------------------------------------

    [Theory]
    [InlineData("IDR")]
    [InlineData("USD")]
    public void Validate_AcceptsCurrency_WhenIso4217(string currency)
    {
        var request = Basic();
        request.Order.Currency = currency;
        Assert.Empty(Errors(request));
    }

    [Theory]
    [InlineData("XYZ")]
    [InlineData("RP")]
    [InlineData("RUPIAH")]
    [InlineData("")]
    public void Validate_ReportsCurrency_WhenNotIso4217(string currency)
    {
        var request = Basic();
        request.Order.Currency = currency;
        Assert.Equal(["order.currency must be a 3-letter ISO 4217 currency code"], Errors(request));
    }

    [Theory]
    [InlineData("ID")]
    [InlineData("SG")]
    public void Validate_AcceptsCustomerCountry_WhenIsoAlpha2(string country)
    {
        var request = Basic();
        request.Customer = new CustomerInfo { Country = country };
        Assert.Empty(Errors(request));
    }

    [Theory]
    [InlineData("XX")]
    [InlineData("IDN")]
    [InlineData("Indonesia")]
    public void Validate_ReportsCustomerCountry_WhenNotIsoAlpha2(string country)
    {
        var request = Basic();
        request.Customer = new CustomerInfo { Country = country };
        Assert.Equal(["customer.country must be a 2-letter ISO 3166-1 country code"], Errors(request));
    }

    [Theory]
    [InlineData("IDN")]
    [InlineData("ID")]
    public void Validate_AcceptsAddressCountryCode_WhenIsoAlpha3OrAlpha2(string code)
    {
        var request = Basic();
        request.ShippingAddress = Address();
        request.ShippingAddress.CountryCode = code;
        Assert.Empty(Errors(request));
    }

    [Fact]
    public void Validate_ReportsAddressCountryCode_WhenNotIso()
    {
        var request = Basic();
        request.BillingAddress = Address();
        request.BillingAddress.CountryCode = "XYZ";
        Assert.Equal(["billing_address.country_code must be an ISO 3166-1 country code"], Errors(request));
    }

    [Theory]
    [InlineData("EN")]
    [InlineData("ID")]
    public void Validate_AcceptsLanguage_WhenEnOrId(string language)
    {
        var request = Basic();
        request.Order.Language = language;
        Assert.Empty(Errors(request));
    }

    [Theory]
    [InlineData("FR")]
    [InlineData("ENG")]
    [InlineData("")]
    public void Validate_ReportsLanguage_WhenNotEnOrId(string language)
    {
        var request = Basic();
        request.Order.Language = language;
        Assert.Equal(["order.language must be one of EN, ID"], Errors(request));
    }

    // ---- payment ---------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("SALE")]
    [InlineData("INSTALLMENT")]
    [InlineData("AUTHORIZE")]
    public void Validate_AcceptsPaymentType_WhenKnownValue(string type)
    {
        var request = Basic();
        request.Payment!.Type = type;
        Assert.Empty(Errors(request));
    }

    [Theory]
    [InlineData("CAPTURE")]
    [InlineData("sale")]
    [InlineData("SALE/INSTALLMENT/AUTHORIZE")]
    public void Validate_ReportsPaymentType_WhenUnknownValue(string type)
    {
        var request = Basic();
        request.Payment!.Type = type;
        Assert.Contains("payment.type must be one of SALE, INSTALLMENT, AUTHORIZE", Errors(request));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(999_999)]
    public void Validate_AcceptsPaymentDueDate_WhenAtMost6Digits(long minutes)
    {
        var request = Basic();
        request.Payment!.PaymentDueDate = minutes;
        Assert.Empty(Errors(request));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_000_000)]
    public void Validate_ReportsPaymentDueDate_WhenZeroOrMoreThan6Digits(long minutes)
    {
        var request = Basic();
        request.Payment!.PaymentDueDate = minutes;
        Assert.Equal(["payment.payment_due_date must be between 1 and 999999 minutes (at most 6 digits)"], Errors(request));
    }

    [Fact]
    public void Validate_ReportsUnknownPaymentMethod_NamingItsIndex()
    {
        var request = Basic();
        request.Payment!.PaymentMethodTypes = ["VIRTUAL_ACCOUNT_BCA", "VIRTUAL_ACCOUNT_XYZ"];
        Assert.Equal(["payment.payment_method_types[1] \"VIRTUAL_ACCOUNT_XYZ\" is not a DOKU payment method"], Errors(request));
    }

    // ---- additional_info.allow_tenor -------------------------------------------------------------------------------

    [Fact]
    public void Validate_AcceptsAllowTenor_WhenEachOf0_3_6_12()
    {
        var request = Basic();
        request.AdditionalInfo = new AdditionalInfo { AllowTenor = [0, 3, 6, 12] };
        Assert.Empty(Errors(request));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(24)]
    [InlineData(-3)]
    public void Validate_ReportsAllowTenor_WhenValueNotAllowed(int tenor)
    {
        var request = Basic();
        request.AdditionalInfo = new AdditionalInfo { AllowTenor = [3, tenor] };
        Assert.Equal(["additional_info.allow_tenor[1] must be one of 0, 3, 6, 12"], Errors(request));
    }

    // ---- order.expired_recovered_cart -----------------------------------------------------------------------------

    [Theory]
    [InlineData(1)]
    [InlineData(44_640)]
    public void Validate_AcceptsExpiredRecoveredCart_WhenAtMost44640(long minutes)
    {
        var request = Basic();
        request.Order.RecoverAbandonedCart = true;
        request.Order.ExpiredRecoveredCart = minutes;
        Assert.Empty(Errors(request));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(44_641)]
    public void Validate_ReportsExpiredRecoveredCart_WhenZeroOrAbove44640(long minutes)
    {
        var request = Basic();
        request.Order.ExpiredRecoveredCart = minutes;
        Assert.Equal(["order.expired_recovered_cart must be between 1 and 44640 minutes"], Errors(request));
    }

    // ---- customer field lengths and formats -----------------------------------------------------------------------

    private static string ValueOfLength(string field, int length) => field switch
    {
        "email" => new string('a', length - "@example.com".Length) + "@example.com",
        "phone" => "62" + new string('8', length - 2),
        _ => new string('a', length),
    };

    private static void SetCustomerField(CustomerInfo customer, string field, string? value)
    {
        switch (field)
        {
            case "id": customer.Id = value; break;
            case "name": customer.Name = value; break;
            case "last_name": customer.LastName = value; break;
            case "phone": customer.Phone = value; break;
            case "email": customer.Email = value; break;
            case "address": customer.Address = value; break;
            case "postcode": customer.Postcode = value; break;
            case "state": customer.State = value; break;
            case "city": customer.City = value; break;
            default: throw new ArgumentOutOfRangeException(nameof(field), field, null);
        }
    }

    [Theory]
    [InlineData("id", 50)]
    [InlineData("name", 255)]
    [InlineData("last_name", 16)]
    [InlineData("phone", 16)]
    [InlineData("email", 128)]
    [InlineData("address", 400)]
    public void Validate_AcceptsCustomerField_WhenExactlyMaxLength(string field, int max)
    {
        var request = Basic();
        request.Customer = new CustomerInfo();
        SetCustomerField(request.Customer, field, ValueOfLength(field, max));
        Assert.Empty(Errors(request));
    }

    [Theory]
    [InlineData("id", 50)]
    [InlineData("name", 255)]
    [InlineData("last_name", 16)]
    [InlineData("phone", 16)]
    [InlineData("email", 128)]
    [InlineData("address", 400)]
    public void Validate_ReportsCustomerFieldMaxLength_WhenOneCharacterTooLong(string field, int max)
    {
        var request = Basic();
        request.Customer = new CustomerInfo();
        SetCustomerField(request.Customer, field, ValueOfLength(field, max + 1));
        Assert.Equal([$"customer.{field} max length is {max}"], Errors(request));
    }

    [Theory]
    [InlineData("628121212121")]
    [InlineData("+628121212121")]
    public void Validate_AcceptsPhone_WhenDigitsWithOptionalLeadingPlus(string phone)
    {
        var request = Basic();
        request.Customer = new CustomerInfo { Phone = phone };
        request.ShippingAddress = Address();
        request.ShippingAddress.Phone = phone;
        Assert.Empty(Errors(request));
    }

    private const string PhoneMustBeDigits = "customer.phone must be digits, optionally after a +";

    [Theory]
    [InlineData("phone", "0812-3456-789", PhoneMustBeDigits)]
    [InlineData("phone", "62 812 1212", PhoneMustBeDigits)]
    [InlineData("phone", "++628121212", PhoneMustBeDigits)]
    [InlineData("phone", "+", PhoneMustBeDigits)]
    [InlineData("phone", "", PhoneMustBeDigits)]
    [InlineData("phone", "62812+1212", PhoneMustBeDigits)]
    [InlineData("email", "zolanda.example.com", "customer.email must be an email address")]
    [InlineData("name", "Zolanda 2", "customer.name must contain letters only")]
    public void Validate_ReportsCustomerFieldFormat_WhenValueMalformed(string field, string value, string expected)
    {
        var request = Basic();
        request.Customer = new CustomerInfo();
        SetCustomerField(request.Customer, field, value);
        Assert.Equal([expected], Errors(request));
    }

    // ---- URLs ------------------------------------------------------------------------------------------------------

    private static void SetUrl(CheckoutRequest request, string path, string value)
    {
        switch (path)
        {
            case "order.callback_url": request.Order.CallbackUrl = value; break;
            case "order.callback_url_cancel": request.Order.CallbackUrlCancel = value; break;
            case "order.callback_url_result": request.Order.CallbackUrlResult = value; break;
            case "order.line_items[0].url": request.Order.LineItems![0].Url = value; break;
            case "order.line_items[0].image_url": request.Order.LineItems![0].ImageUrl = value; break;
            case "additional_info.doku_wallet_notify_url": request.AdditionalInfo!.DokuWalletNotifyUrl = value; break;
            case "additional_info.override_notification_url": request.AdditionalInfo!.OverrideNotificationUrl = value; break;
            default: throw new ArgumentOutOfRangeException(nameof(path), path, null);
        }
    }

    public static TheoryData<string, string> UrlFieldsAndBadValues()
    {
        string[] fields =
        [
            "order.callback_url", "order.callback_url_cancel", "order.callback_url_result", "order.line_items[0].url",
            "order.line_items[0].image_url", "additional_info.doku_wallet_notify_url",
            "additional_info.override_notification_url",
        ];
        string[] bad = ["merchant.example.com/back", "/payments/notifications", "ftp://merchant.example.com/x",
            "javascript:alert(1)", "file:///etc/passwd", "https://"];
        var data = new TheoryData<string, string>();
        foreach (var field in fields)
        {
            foreach (var value in bad)
            {
                data.Add(field, value);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(UrlFieldsAndBadValues))]
    public void Validate_ReportsUrl_WhenNotAbsoluteHttpOrHttps(string path, string value)
    {
        var request = Full(Kredivo);
        SetUrl(request, path, value);
        Assert.Equal([$"{path} must be an absolute http or https URL"], Errors(request));
    }

    [Theory]
    [InlineData("http://merchantcallbackurl.domain/")]
    [InlineData("https://merchantcallbackurl-cancel.domain")]
    [InlineData("https://another.example.com:8443/payments/notifications?x=1")]
    public void Validate_AcceptsUrl_WhenAbsoluteHttpOrHttps(string value)
    {
        var request = Full(Kredivo);
        foreach (var path in UrlFieldsAndBadValues().Select(row => (string)row[0]).Distinct())
        {
            SetUrl(request, path, value);
        }
        Assert.Empty(Errors(request));
    }

    // ---- line item fields ------------------------------------------------------------------------------------------

    [Fact]
    public void Validate_ReportsLineItemPriceAndQuantityRanges_WhenNegativeOrZero()
    {
        var request = Basic();
        request.Order.LineItems = [new LineItem { Name = "x", Price = -1, Quantity = 0 }];
        Assert.Equal(
            [$"order.line_items[0].price must be between 0 and {CheckoutRules.MaxAmount}", "order.line_items[0].quantity must be between 1 and 999999"],
            Errors(request));
    }

    [Fact]
    public void Validate_ReportsLineItemIdMaxLength_WhenLongerThan64()
    {
        var request = Basic();
        request.Order.LineItems = [new LineItem { Id = new string('1', 65) }];
        Assert.Equal(["order.line_items[0].id max length is 64"], Errors(request));
    }

    // ---- catalogue ------------------------------------------------------------------------------------------------

    [Theory]
    // seed page
    [InlineData("VIRTUAL_ACCOUNT_BCA")]
    [InlineData("VIRTUAL_ACCOUNT_BANK_MANDIRI")]
    [InlineData("VIRTUAL_ACCOUNT_BANK_SYARIAH_MANDIRI")]
    [InlineData("VIRTUAL_ACCOUNT_DOKU")]
    [InlineData("VIRTUAL_ACCOUNT_BRI")]
    [InlineData("VIRTUAL_ACCOUNT_BNI")]
    [InlineData("VIRTUAL_ACCOUNT_BANK_PERMATA")]
    [InlineData("VIRTUAL_ACCOUNT_BANK_CIMB")]
    [InlineData("VIRTUAL_ACCOUNT_BANK_DANAMON")]
    [InlineData("ONLINE_TO_OFFLINE_ALFA")]
    [InlineData("CREDIT_CARD")]
    [InlineData("DIRECT_DEBIT_BRI")]
    [InlineData("EMONEY_SHOPEEPAY")]
    [InlineData("EMONEY_OVO")]
    [InlineData("EMONEY_DANA")]
    [InlineData("QRIS")]
    [InlineData("PEER_TO_PEER_AKULAKU")]
    [InlineData("PEER_TO_PEER_KREDIVO")]
    [InlineData("PEER_TO_PEER_INDODANA")]
    // spec section 5
    [InlineData("VIRTUAL_ACCOUNT_BSI")]
    [InlineData("VIRTUAL_ACCOUNT_MAYBANK")]
    [InlineData("VIRTUAL_ACCOUNT_SINARMAS")]
    [InlineData("VIRTUAL_ACCOUNT_BTN")]
    [InlineData("VIRTUAL_ACCOUNT_BNC")]
    [InlineData("EMONEY_SHOPEE_PAY")]
    [InlineData("EMONEY_DOKU")]
    [InlineData("EMONEY_LINKAJA")]
    [InlineData("ONLINE_TO_OFFLINE_INDOMARET")]
    [InlineData("JENIUS_PAY")]
    [InlineData("PEER_TO_PEER_BRI_CERIA")]
    [InlineData("OCTO_CLICKS")]
    [InlineData("EPAY_BRI")]
    [InlineData("DANAMON_ONLINE_BANKING")]
    [InlineData("PERMATA_NET")]
    [InlineData("KLIKPAY_BCA")]
    [InlineData("DIRECT_DEBIT_CIMB")]
    [InlineData("DIRECT_DEBIT_ALLO")]
    [InlineData("KARTU_KREDIT_INDONESIA")]
    [InlineData("GOOGLE_PAY")]
    public void Validate_AcceptsPaymentMethod_WhenListedBySeedOrSpec(string value)
    {
        Assert.Equal(value, PaymentMethods.Find(value)?.Value);
        Assert.Empty(Errors(Full(value)));
    }

    [Theory]
    [InlineData("virtual_account_bca")]
    [InlineData("SHOPEEPAY")]
    [InlineData("")]
    public void Find_ReturnsNull_WhenValueUnknown(string value)
    {
        Assert.Null(PaymentMethods.Find(value));
    }
}

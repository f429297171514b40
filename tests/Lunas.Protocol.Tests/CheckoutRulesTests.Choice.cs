using Lunas.Protocol.Channels;
using Lunas.Protocol.Checkout;
using static Lunas.Protocol.Tests.Requests;

namespace Lunas.Protocol.Tests;

/// <summary>Which channels an order offers (spec section 2): requested ones, or every enabled eligible one.</summary>
public partial class CheckoutRulesTests
{
    private static IReadOnlyList<PaymentMethod> Offered(CheckoutRequest request, out List<string> errors,
        IReadOnlyCollection<string>? enabled = null)
    {
        var found = new ValidationErrors();
        var offered = CheckoutRules.Validate(request, enabled, found);
        errors = found.Messages();
        return offered;
    }

    private static string[] Values(IEnumerable<PaymentMethod> methods) => [.. methods.Select(m => m.Value)];

    [Fact]
    public void Validate_OffersVaCardQrisStoreAndEmoneyButNoPaylater_WhenBasicRequestOmitsTypes()
    {
        var offered = Offered(Basic(), out var errors);

        Assert.Empty(errors);
        var families = offered.Select(m => m.Family).ToHashSet();
        Assert.Superset(new HashSet<ChannelFamily>([ChannelFamily.VirtualAccount, ChannelFamily.Card, ChannelFamily.Qris,
            ChannelFamily.ConvenienceStore, ChannelFamily.EMoney]), families);
        Assert.DoesNotContain(ChannelFamily.Paylater, families);
        var values = Values(offered);
        Assert.Superset(new HashSet<string>(["VIRTUAL_ACCOUNT_BCA", "CREDIT_CARD", "QRIS", "ONLINE_TO_OFFLINE_ALFA",
            "ONLINE_TO_OFFLINE_INDOMARET", "EMONEY_OVO", "EMONEY_LINKAJA"]), new HashSet<string>(values));
    }

    [Fact]
    public void Validate_OmitsEveryChannelWithUnmetConditions_WhenBasicRequestOmitsTypes()
    {
        var values = Values(Offered(Basic(), out var errors));

        Assert.Empty(errors);
        foreach (var excluded in (string[])[Akulaku, Kredivo, Indodana, BriCeria, Jenius, Kki, Allo, BriDirectDebit])
        {
            Assert.DoesNotContain(excluded, values);
        }
        // and nothing offered fails its own conditions
        foreach (var method in PaymentMethods.All.Where(m => values.Contains(m.Value)))
        {
            var conditions = new ValidationErrors();
            CheckoutRules.CheckChannel(method, Basic(), conditions);
            Assert.Empty(conditions.Messages());
        }
    }

    [Fact]
    public void Validate_OffersPaylater_WhenTypesOmittedAndRequestMeetsItsConditions()
    {
        var request = Full();
        request.Payment!.PaymentMethodTypes = null;
        var values = Values(Offered(request, out var errors));
        Assert.Empty(errors);
        Assert.Contains(Kredivo, values);
        Assert.Contains(Indodana, values);
        Assert.Contains(Akulaku, values);
        Assert.Contains(Jenius, values);
    }

    [Fact]
    public void Validate_OffersCardsOnly_WhenTypesOmittedAndInvoiceLongerThan30()
    {
        var request = Basic();
        request.Order.InvoiceNumber = new string('A', 40);
        var offered = Offered(request, out var errors);
        Assert.Empty(errors);
        Assert.DoesNotContain(offered, m => m.Family == ChannelFamily.Card);
        Assert.Contains(offered, m => m.Value == "VIRTUAL_ACCOUNT_BCA");
    }

    [Theory]
    [InlineData(new[] { "QRIS", "VIRTUAL_ACCOUNT_BRI", Kredivo }, new[] { "QRIS", "VIRTUAL_ACCOUNT_BRI", Kredivo })]
    [InlineData(new[] { "QRIS", "QRIS" }, new[] { "QRIS" })] // requested twice
    [InlineData(new[] { "EMONEY_SHOPEEPAY", "EMONEY_SHOPEE_PAY" }, new[] { "EMONEY_SHOPEEPAY" })] // both ShopeePay spellings
    public void Validate_OffersEachRequestedOnceInOrder_WhenTypesGiven(string[] requested, string[] expected)
    {
        var offered = Offered(Full(requested), out var errors);
        Assert.Empty(errors);
        Assert.Equal(expected, Values(offered));
    }

    [Fact]
    public void Validate_ReportsChannelConditions_WhenRequestedChannelConditionsUnmet()
    {
        var request = Basic();
        request.Payment!.PaymentMethodTypes = ["VIRTUAL_ACCOUNT_BCA", Kredivo];
        var errors = Errors(request);
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.EndsWith($"for {Kredivo}", e, StringComparison.Ordinal));
        Assert.Contains($"shipping_address must be filled for {Kredivo}", errors);
        Assert.Contains($"order.line_items must be filled for {Kredivo}", errors);
        Assert.Contains($"customer.email must be filled for {Kredivo}", errors);
    }

    [Fact]
    public void Validate_ReportsCardInvoiceLength_WhenCreditCardRequestedWith40CharacterInvoice()
    {
        var request = Basic();
        request.Order.InvoiceNumber = new string('A', 40);
        request.Payment!.PaymentMethodTypes = ["CREDIT_CARD"];
        Assert.Equal(["order.invoice_number max length is 30 for CREDIT_CARD"], Errors(request));
    }

    [Fact]
    public void Validate_ReportsNotEnabled_WhenRequestedChannelNotInMerchantList()
    {
        var request = Basic();
        request.Payment!.PaymentMethodTypes = ["VIRTUAL_ACCOUNT_BCA", "QRIS"];
        var offered = Offered(request, out var errors, enabled: ["VIRTUAL_ACCOUNT_BCA", "CREDIT_CARD"]);
        Assert.Equal(["payment.payment_method_types[1] QRIS is not enabled for this merchant"], errors);
        Assert.Equal(["VIRTUAL_ACCOUNT_BCA"], Values(offered));
    }

    [Fact]
    public void Validate_OffersOnlyEnabledEligible_WhenTypesOmittedAndMerchantListRestricted()
    {
        var offered = Offered(Basic(), out var errors, enabled: ["VIRTUAL_ACCOUNT_BCA", "QRIS", Kredivo, "EMONEY_OVO"]);
        Assert.Empty(errors);
        Assert.Equal(new[] { "EMONEY_OVO", "QRIS", "VIRTUAL_ACCOUNT_BCA" }, Values(offered).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_ReportsNoChannel_WhenTypesOmittedAndNoEnabledChannelEligible()
    {
        Offered(Basic(), out var errors, enabled: [Kredivo, Indodana]);
        Assert.Equal(["payment.payment_method_types none of the merchant's channels can take this order"], errors);
    }

    [Theory]
    [InlineData("INSTALLMENT", "VIRTUAL_ACCOUNT_BCA")]
    [InlineData("AUTHORIZE", "QRIS")]
    [InlineData("INSTALLMENT", Kredivo)]
    public void Validate_ReportsCardOnlyType_WhenNonCardChannelRequested(string type, string channel)
    {
        var request = Full("CREDIT_CARD", channel);
        request.Payment!.Type = type;
        Assert.Equal([$"payment.type {type} is only applicable to card channels, not {channel}"], Errors(request));
    }

    [Theory]
    [InlineData("INSTALLMENT")]
    [InlineData("AUTHORIZE")]
    public void Validate_AcceptsCardOnlyType_WhenOnlyCardRequested(string type)
    {
        var request = Full("CREDIT_CARD");
        request.Payment!.Type = type;
        Assert.Empty(Errors(request));
    }

    [Theory]
    [InlineData("INSTALLMENT")]
    [InlineData("AUTHORIZE")]
    public void Validate_OffersCardsOnly_WhenCardOnlyTypeAndTypesOmitted(string type)
    {
        var request = Basic();
        request.Payment!.Type = type;
        var offered = Offered(request, out var errors);
        Assert.Empty(errors);
        Assert.NotEmpty(offered);
        Assert.All(offered, m => Assert.Equal(ChannelFamily.Card, m.Family));
    }

    [Theory]
    [InlineData("EMONEY_SHOPEEPAY")]
    [InlineData("EMONEY_SHOPEE_PAY")]
    public void Validate_AcceptsShopeePay_WhenEitherSpellingRequested(string value)
    {
        var request = Basic();
        request.Payment!.PaymentMethodTypes = [value];
        var offered = Offered(request, out var errors);
        Assert.Empty(errors);
        var method = Assert.Single(offered);
        Assert.Equal(value, method.Value);
        Assert.Equal("EMONEY", method.ServiceId);
        Assert.Equal("SHOPEE_PAY", method.AcquirerId);
    }

    [Fact]
    public void Validate_OffersShopeePayOnce_WhenTypesOmitted()
    {
        var offered = Offered(Basic(), out var errors);
        Assert.Empty(errors);
        Assert.Equal(["EMONEY_SHOPEE_PAY"], Values(offered.Where(m => m.AcquirerId == "SHOPEE_PAY")));
        Assert.Equal(offered.Count, offered.Select(m => (m.ServiceId, m.AcquirerId)).Distinct().Count());
    }

    [Theory]
    [InlineData("EMONEY_SHOPEEPAY", "EMONEY_SHOPEE_PAY")]
    [InlineData("EMONEY_SHOPEE_PAY", "EMONEY_SHOPEEPAY")]
    public void Validate_AcceptsShopeePay_WhenMerchantEnabledTheOtherSpelling(string requested, string enabled)
    {
        var request = Basic();
        request.Payment!.PaymentMethodTypes = [requested];
        var offered = Offered(request, out var errors, enabled: [enabled]);
        Assert.Empty(errors);
        Assert.Equal([requested], Values(offered));
    }

    [Fact]
    public void Validate_OffersShopeePay_WhenTypesOmittedAndMerchantEnabledSeedSpelling()
    {
        var offered = Offered(Basic(), out var errors, enabled: ["EMONEY_SHOPEEPAY"]);
        Assert.Empty(errors);
        Assert.Equal("SHOPEE_PAY", Assert.Single(offered).AcquirerId);
    }
}

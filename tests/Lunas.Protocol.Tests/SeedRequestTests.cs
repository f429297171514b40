using System.Text;
using Lunas.Protocol.Channels;
using Lunas.Protocol.Checkout;

namespace Lunas.Protocol.Tests;

/// <summary>The seed page's own sample requests, read from raw JSON and validated as the server does.</summary>
public class SeedRequestTests
{
    /// <summary>The seed's "Basic Request", verbatim.</summary>
    private const string BasicRequest = """
        {
            "order": {
                "amount": 20000,
                "invoice_number": "INV-20210231-0001"
            },
            "payment": {
                "payment_due_date": 60
            }
        }
        """;

    /// <summary>The seed's "Full Request", verbatim except <c>INV-{{$timestamp}}</c> → <c>INV-1720752332</c>.</summary>
    private const string FullRequest = """
        {
        "order": {
          "amount": 80000,
          "invoice_number": "INV-1720752332",
          "currency": "IDR",
          "callback_url": "http://merchantcallbackurl.domain/",
          "callback_url_cancel": "https://merchantcallbackurl-cancel.domain",
          "callback_url_result": "https://merchantcallbackurl-cancel.domain",
          "language":"EN",
          "auto_redirect":true,
          "disable_retry_payment" :true,
          "recover_abandoned_cart": true,
          "expired_recovered_cart":2,
          "line_items": [
            {
                "id":"001",
                "name":"Fresh flowers",
                "quantity":1,
                "price":40000,
                "sku": "FF01",
                "category": "gift-and-flowers",
                "url": "http://item-url.domain/",
                "image_url":"http://image-url.domain/",
                "type":"ABC"
            },
            {
                "id":"002",
                "name":"T-shirt",
                "quantity":1,
                "price":40000,
                "sku": "T01",
                "category": "clothing",
                "url": "http://item-url.domain/",
                "image_url":"http://image-url.domain/",
                "type":"ABC"
            }
          ]
        },
          "payment": {
              "payment_due_date": 60,
              "type" : "SALE",
              "payment_method_types": [
                  "VIRTUAL_ACCOUNT_BCA",
                  "VIRTUAL_ACCOUNT_BANK_MANDIRI",
                  "VIRTUAL_ACCOUNT_BANK_SYARIAH_MANDIRI",
                  "VIRTUAL_ACCOUNT_DOKU",
                  "VIRTUAL_ACCOUNT_BRI",
                  "VIRTUAL_ACCOUNT_BNI",
                  "VIRTUAL_ACCOUNT_BANK_PERMATA",
                  "VIRTUAL_ACCOUNT_BANK_CIMB",
                  "VIRTUAL_ACCOUNT_BANK_DANAMON",
                  "VIRTUAL_ACCOUNT_BNC",
                  "VIRTUAL_ACCOUNT_BTN",
                  "ONLINE_TO_OFFLINE_ALFA",
                  "CREDIT_CARD",
                  "DIRECT_DEBIT_BRI",
                  "EMONEY_SHOPEEPAY",
                  "EMONEY_OVO",
                  "EMONEY_DANA",
                  "QRIS",
                  "PEER_TO_PEER_AKULAKU",
                  "PEER_TO_PEER_KREDIVO",
                  "PEER_TO_PEER_INDODANA"
              ]
          },
          "customer":{
              "id":"JC-01",
              "name":"Zolanda",
              "last_name":"Anggraeni",
              "phone":"628121212121",
              "email": "zolanda@example.com",
              "address":"taman setiabudi",
              "postcode":"120129",
              "state":"Jakarta",
              "city":"Jakarta Selatan",
              "country":"ID"
        },
        "shipping_address":{
          "first_name":"Joe",
          "last_name":"Doe",
          "address":"Jalan DOKU no 15",
          "city":"Jakarta",
          "postal_code":"11923",
          "phone":"081312345678",
          "country_code":"IDN"
        },
        "billing_address":{
          "first_name":"Joe",
          "last_name":"Doe",
          "address":"Jalan DOKU no 15",
          "city":"Jakarta",
          "postal_code":"11923",
          "phone":"081312345678",
          "country_code":"IDN"
        },
        "additional_info":{
          "allow_tenor" : [0,3,6,12],
          "doku_wallet_notify_url" : "https://dw-notification.merchantdomain",
          "override_notification_url": "https://another.example.com/payments/notifications"
        }
        }
        """;

    private static string[] FullRequestChannels =>
    [
        "VIRTUAL_ACCOUNT_BCA", "VIRTUAL_ACCOUNT_BANK_MANDIRI", "VIRTUAL_ACCOUNT_BANK_SYARIAH_MANDIRI", "VIRTUAL_ACCOUNT_DOKU",
        "VIRTUAL_ACCOUNT_BRI", "VIRTUAL_ACCOUNT_BNI", "VIRTUAL_ACCOUNT_BANK_PERMATA", "VIRTUAL_ACCOUNT_BANK_CIMB",
        "VIRTUAL_ACCOUNT_BANK_DANAMON", "VIRTUAL_ACCOUNT_BNC", "VIRTUAL_ACCOUNT_BTN", "ONLINE_TO_OFFLINE_ALFA", "CREDIT_CARD",
        "DIRECT_DEBIT_BRI", "EMONEY_SHOPEEPAY", "EMONEY_OVO", "EMONEY_DANA", "QRIS", "PEER_TO_PEER_AKULAKU",
        "PEER_TO_PEER_KREDIVO", "PEER_TO_PEER_INDODANA",
    ];

    /// <summary>Reads and validates as the create-payment endpoint does; errors from both steps in one list.</summary>
    private static (CheckoutRequest? Request, IReadOnlyList<PaymentMethod> Offered, List<string> Errors) ReadAndValidate(
        string json, IReadOnlyCollection<string>? enabled = null)
    {
        var errors = new ValidationErrors();
        var request = CheckoutRequestReader.Read(Encoding.UTF8.GetBytes(json), errors);
        var offered = request is null ? [] : CheckoutRules.Validate(request, enabled, errors);
        return (request, offered, errors.Messages());
    }

    [Fact]
    public void BasicRequest_NoErrors_AndOffersNoPaylater()
    {
        var (request, offered, errors) = ReadAndValidate(BasicRequest);

        Assert.Empty(errors);
        Assert.NotNull(request);
        Assert.Equal(20000, request.Order.Amount);
        Assert.Equal("INV-20210231-0001", request.Order.InvoiceNumber);
        Assert.Equal(60, request.Payment!.PaymentDueDate);
        Assert.NotEmpty(offered);
        Assert.DoesNotContain(offered, m => m.Family == ChannelFamily.Paylater);
        Assert.Contains(offered, m => m.Family == ChannelFamily.VirtualAccount);
    }

    [Fact]
    public void BasicRequest_MatchesSignatureVectorBody_WhenCompacted()
    {
        // The seed's basic body and the checkout-post-basic vector body are the same request.
        var (request, _, errors) = ReadAndValidate(
            """{"order":{"amount":20000,"invoice_number":"INV-20210231-0001"},"payment":{"payment_due_date":60}}""");
        Assert.Empty(errors);
        Assert.Equal(20000, request!.Order.Amount);
    }

    [Fact]
    public void FullRequest_NoErrors_WhenSeedSampleSentAsIs()
    {
        // The seed's own sample uses "gift-and-flowers", which is not on its own Indodana list ("gifts-and-flowers"),
        // but DOKU's Full Response echoes it: the spelling DOKU itself sends is accepted.
        var (request, _, errors) = ReadAndValidate(FullRequest);

        Assert.NotNull(request);
        Assert.Empty(errors);
    }

    [Fact]
    public void FullRequest_ReportsTheCategoryWithAHint_WhenAnotherNearMissIsSent()
    {
        var json = FullRequest.Replace("\"gift-and-flowers\"", "\"gifts-and-flower\"", StringComparison.Ordinal);

        var (_, _, errors) = ReadAndValidate(json);

        Assert.Equal(
            ["order.line_items[0].category \"gifts-and-flower\" is not an Indodana category for PEER_TO_PEER_INDODANA (did you mean \"gifts-and-flowers\"?)"],
            errors);
    }

    [Fact]
    public void FullRequest_NoErrors_AndOffersEveryRequestedChannel_WhenCategoryCorrected()
    {
        var json = FullRequest.Replace("\"gift-and-flowers\"", "\"gifts-and-flowers\"", StringComparison.Ordinal);

        var (request, offered, errors) = ReadAndValidate(json);

        Assert.Empty(errors);
        Assert.NotNull(request);
        Assert.Equal(FullRequestChannels, offered.Select(m => m.Value));
        Assert.Equal(2, request.Order.LineItems!.Count);
        Assert.Equal("IDN", request.ShippingAddress!.CountryCode);
        Assert.Equal([0, 3, 6, 12], request.AdditionalInfo!.AllowTenor!);
    }

    [Fact]
    public void FullRequest_ReportsNotEnabled_WhenMerchantHasOnlyVirtualAccounts()
    {
        var json = FullRequest.Replace("\"gift-and-flowers\"", "\"gifts-and-flowers\"", StringComparison.Ordinal);
        var virtualAccounts = PaymentMethods.All.Where(m => m.Family == ChannelFamily.VirtualAccount).Select(m => m.Value).ToList();

        var (_, offered, errors) = ReadAndValidate(json, virtualAccounts);

        Assert.All(offered, m => Assert.Equal(ChannelFamily.VirtualAccount, m.Family));
        Assert.Equal(10, errors.Count); // the 21 requested channels minus the 11 virtual accounts
        Assert.All(errors, e => Assert.EndsWith("is not enabled for this merchant", e, StringComparison.Ordinal));
    }

    [Fact]
    public void ReadAndValidate_ReportsEachBadFieldOnceAtItsOwnPath_WhenReaderAndRulesBothSeeIt()
    {
        // A wrongly typed amount is reported by the reader; the rules must not add "must greater than 0" on top.
        // "NOPE" is entry 2 of the body even though entry 1 (a number) could not be read.
        var (_, _, errors) = ReadAndValidate("""
            {"order":{"amount":true,"invoice_number":["INV-1"],"currency":"XYZ"},
             "payment":{"payment_method_types":["QRIS",5,"NOPE"]}}
            """);

        Assert.Equal(
            new[]
            {
                "order.amount must be a number",
                "order.invoice_number must be a string",
                "order.currency must be a 3-letter ISO 4217 currency code",
                "payment.payment_method_types[1] must be a string",
                "payment.payment_method_types[2] \"NOPE\" is not a DOKU payment method",
            }.Order(StringComparer.Ordinal),
            errors.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ReadAndValidate_NamesTheRequestedIndex_WhenEarlierEntryHadWrongType()
    {
        var (_, offered, errors) = ReadAndValidate(
            """{"order":{"amount":20000,"invoice_number":"INV-1"},"payment":{"payment_method_types":[null,"QRIS","EMONEY_OVO"]}}""",
            enabled: ["QRIS"]);

        Assert.Equal(["payment.payment_method_types[0] must be a string",
            "payment.payment_method_types[2] EMONEY_OVO is not enabled for this merchant"], errors);
        Assert.Equal(["QRIS"], offered.Select(m => m.Value));
    }
}

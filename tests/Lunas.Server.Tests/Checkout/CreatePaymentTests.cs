using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Lunas.Protocol.Checkout;
using Lunas.Protocol.Signing;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.Checkout;

public abstract class CreatePaymentTests : ServerTest
{
    [SkippableFact]
    public async Task CreatePayment_ReturnsDokuShapedSession_ForSeedBasicRequest()
    {
        var invoice = Seed.NewInvoice();
        var now = Server.Clock.GetUtcNow();
        var requestId = Guid.NewGuid().ToString();

        using var response = await Server.CreatePaymentAsync(Seed.BasicRequest(invoice), requestId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadAsync(response);
        Assert.Equal("SUCCESS", body.GetProperty("message")[0].GetString());
        var r = body.GetProperty("response");
        var order = r.GetProperty("order");
        Assert.Equal("20000", order.GetProperty("amount").GetString());
        Assert.Equal(invoice, order.GetProperty("invoice_number").GetString());
        Assert.Equal("IDR", order.GetProperty("currency").GetString());
        var sessionId = order.GetProperty("session_id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", sessionId);

        var payment = r.GetProperty("payment");
        Assert.Equal(60, payment.GetProperty("payment_due_date").GetInt32());
        var token = payment.GetProperty("token_id").GetString()!;
        Assert.Matches("^[0-9a-f]{44}[0-9]{17}$", token); // 12 hex of time + 32 random hex (not the session id) + DOKU's stamp
        Assert.DoesNotContain(sessionId, token, StringComparison.Ordinal);
        Assert.Equal($"{Server.BaseUrl}/checkout-link-v2/{token}", payment.GetProperty("url").GetString());
        var expected = now.AddMinutes(60).ToOffset(TimeSpan.FromHours(7)).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        Assert.Equal(expected, payment.GetProperty("expired_date").GetString());
        var methods = payment.GetProperty("payment_method_types").EnumerateArray().Select(m => m.GetString()!).ToList();
        Assert.Contains("VIRTUAL_ACCOUNT_BCA", methods);
        Assert.Contains("CREDIT_CARD", methods);
        Assert.Contains("QRIS", methods);
        Assert.Contains("ONLINE_TO_OFFLINE_ALFA", methods);
        Assert.Contains("EMONEY_OVO", methods);
        Assert.DoesNotContain(methods, m => m.StartsWith("PEER_TO_PEER_", StringComparison.Ordinal));

        Assert.Equal(JsonValueKind.Number, r.GetProperty("uuid").ValueKind);
        Assert.Matches("^[0-9]{40}$", r.GetProperty("uuid").GetRawText());
        var headers = r.GetProperty("headers");
        Assert.Equal(requestId, headers.GetProperty("request_id").GetString());
        Assert.Equal(TestServer.ClientId, headers.GetProperty("client_id").GetString());
        Assert.StartsWith("HMACSHA256=", headers.GetProperty("signature").GetString(), StringComparison.Ordinal);
        Assert.Equal("CHECKOUT", r.GetProperty("additional_info").GetProperty("origin").GetProperty("product").GetString());
    }

    [SkippableFact]
    public async Task CreatePayment_SignsTheResponse_WithResponseTimestamp()
    {
        var requestId = Guid.NewGuid().ToString();
        using var response = await Server.CreatePaymentAsync(Seed.BasicRequest(Seed.NewInvoice()), requestId);

        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(TestServer.ClientId, response.Headers.GetValues("Client-Id").Single());
        Assert.Equal(requestId, response.Headers.GetValues("Request-Id").Single());
        var timestamp = response.Headers.GetValues("Response-Timestamp").Single();
        var signature = response.Headers.GetValues("Signature").Single();
        Assert.True(DokuSignature.Verify(TestServer.SecretKey, TestServer.ClientId, requestId, timestamp,
            "/checkout/v1/payment", DokuSignature.Digest(bytes), signature, DokuSignature.ResponseTimestamp));
    }

    [SkippableFact]
    public async Task CreatePayment_EchoesEveryField_ForSeedFullRequestWithListedCategory()
    {
        var invoice = "INV-" + Guid.NewGuid().ToString("N")[..12];
        var request = Seed.FullRequest(invoice).Replace("gift-and-flowers", "gifts-and-flowers", StringComparison.Ordinal);

        using var response = await Server.CreatePaymentAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var r = (await Json.ReadAsync(response)).GetProperty("response");
        var order = r.GetProperty("order");
        Assert.Equal("80000", order.GetProperty("amount").GetString());
        Assert.Equal("http://merchantcallbackurl.domain/", order.GetProperty("callback_url").GetString());
        Assert.Equal("https://merchantcallbackurl-cancel.domain", order.GetProperty("callback_url_cancel").GetString());
        Assert.Equal("https://merchantcallbackurl-cancel.domain", order.GetProperty("callback_url_result").GetString());
        Assert.Equal("EN", order.GetProperty("language").GetString());
        Assert.True(order.GetProperty("auto_redirect").GetBoolean());
        Assert.True(order.GetProperty("disable_retry_payment").GetBoolean());
        Assert.True(order.GetProperty("recover_abandoned_cart").GetBoolean());
        Assert.Equal(2, order.GetProperty("expired_recovered_cart").GetInt32());
        var item = order.GetProperty("line_items")[1];
        Assert.Equal("T-shirt", item.GetProperty("name").GetString());
        Assert.Equal("40000", item.GetProperty("price").GetString());
        Assert.Equal(1, item.GetProperty("quantity").GetInt32());
        Assert.Equal("T01", item.GetProperty("sku").GetString());
        Assert.Equal("http://image-url.domain/", item.GetProperty("image_url").GetString());

        var payment = r.GetProperty("payment");
        // As DOKU's Full Response: payment.type and line_items[].id are not echoed.
        Assert.False(payment.TryGetProperty("type", out _));
        Assert.False(item.TryGetProperty("id", out _));
        Assert.Equal(21, payment.GetProperty("payment_method_types").GetArrayLength());
        var customer = r.GetProperty("customer");
        Assert.Equal("JC-01", customer.GetProperty("id").GetString());
        Assert.Equal("Anggraeni", customer.GetProperty("last_name").GetString());
        Assert.Equal("ID", customer.GetProperty("country").GetString());
        Assert.Equal("IDN", r.GetProperty("shipping_address").GetProperty("country_code").GetString());
        Assert.Equal("Jalan DOKU no 15", r.GetProperty("billing_address").GetProperty("address").GetString());
        var info = r.GetProperty("additional_info");
        Assert.Equal([0, 3, 6, 12], info.GetProperty("allow_tenor").EnumerateArray().Select(t => t.GetInt32()));
        Assert.Equal("https://another.example.com/payments/notifications", info.GetProperty("override_notification_url").GetString());
        Assert.Equal("https://dw-notification.merchantdomain", info.GetProperty("doku_wallet_notify_url").GetString());
    }

    [SkippableFact]
    public async Task CreatePayment_Returns200EchoingTheCategory_ForSeedFullRequestAsPrinted()
    {
        // DOKU's own sample sends "gift-and-flowers" (its list says "gifts-and-flowers") and its Full Response echoes it.
        using var response = await Server.CreatePaymentAsync(Seed.FullRequest("INV-" + Guid.NewGuid().ToString("N")[..12]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var order = (await Json.ReadAsync(response)).GetProperty("response").GetProperty("order");
        Assert.Equal("gift-and-flowers", order.GetProperty("line_items")[0].GetProperty("category").GetString());
        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM checkout_sessions"));
    }

    [SkippableFact]
    public async Task CreatePayment_AcceptsWhatRealClientsSend_NumericStringsPlusPhoneAndUnknownFields()
    {
        var body = $$$"""
            {
              "order": {"amount": "150000", "invoice_number": "{{{Seed.NewInvoice()}}}", "session_id": "SU5WFDferd561dfasfasdfae123c",
                        "line_items": [{"name": "Kopi", "price": "75000.00", "quantity": "2"}]},
              "payment": {"payment_due_date": "30"},
              "customer": {"id": 12345, "name": "Anton Budiman", "phone": "+6285694566147"},
              "additional_info": {"integration": {"name": "woocommerce"}, "method": "Jokul Checkout", "account": {"id": "x"}}
            }
            """;

        using var response = await Server.CreatePaymentAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var r = (await Json.ReadAsync(response)).GetProperty("response");
        Assert.Equal("150000", r.GetProperty("order").GetProperty("amount").GetString());
        Assert.Equal(30, r.GetProperty("payment").GetProperty("payment_due_date").GetInt32());
        Assert.Equal("12345", r.GetProperty("customer").GetProperty("id").GetString());
        Assert.Equal("+6285694566147", r.GetProperty("customer").GetProperty("phone").GetString());
    }

    [SkippableFact]
    public async Task CreatePayment_ExpiresAtTheDueDate_InJakartaTime()
    {
        var now = Server.Clock.GetUtcNow();
        var body = $$$"""{"order":{"amount":10000,"invoice_number":"{{{Seed.NewInvoice()}}}"},"payment":{"payment_due_date":1440}}""";

        using var response = await Server.CreatePaymentAsync(body);

        var expired = (await Json.ReadAsync(response)).GetProperty("response").GetProperty("payment").GetProperty("expired_date").GetString();
        Assert.Equal(now.AddDays(1).ToOffset(TimeSpan.FromHours(7)).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture), expired);
    }

    [SkippableFact]
    public async Task CreatePayment_OffersOnlyRequestedChannels_WhenPaymentMethodTypesGiven()
    {
        var body = $$$"""{"order":{"amount":10000,"invoice_number":"{{{Seed.NewInvoice()}}}"},"payment":{"payment_method_types":["QRIS","VIRTUAL_ACCOUNT_BRI"]}}""";

        using var response = await Server.CreatePaymentAsync(body);

        var methods = (await Json.ReadAsync(response)).GetProperty("response").GetProperty("payment").GetProperty("payment_method_types");
        Assert.Equal(["QRIS", "VIRTUAL_ACCOUNT_BRI"], methods.EnumerateArray().Select(m => m.GetString()));
    }

    [SkippableFact]
    public async Task CreatePayment_Returns400WithEveryProblem_WhenSeveralFieldsAreWrong()
    {
        var body = """{"order":{"amount":0,"currency":"RUPIAH","language":"FR"},"payment":{"type":"LEASE","payment_method_types":["PEER_TO_PEER_KREDIVO"]},"customer":{"country":"IDN","email":"nope"}}""";

        using var response = await Server.CreatePaymentAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = Json.Errors(await Json.ReadAsync(response));
        Assert.Contains("order.invoice_number must be filled", errors);
        Assert.Contains("order.amount must greater than 0", errors);
        Assert.Contains(errors, e => e.StartsWith("order.currency ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("order.language ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("payment.type ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("customer.country ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("customer.email ", StringComparison.Ordinal));
        Assert.Contains("shipping_address must be filled for PEER_TO_PEER_KREDIVO", errors);
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM checkout_sessions"));
    }

    [SkippableTheory]
    [InlineData("", "request body must be filled")]
    [InlineData("{\"order\": {", "request body is not valid JSON")]
    [InlineData("[1,2,3]", "request body must be a JSON object")]
    [InlineData("\"order\"", "request body must be a JSON object")]
    [InlineData("{\"order\": [], \"payment\": 5}", "order must be an object")]
    [InlineData("{\"order\": {\"amount\": true, \"invoice_number\": {\"a\": 1}}}", "order.amount must be a number")]
    [InlineData("{\"order\": {\"amount\": 10000.5, \"invoice_number\": \"A\"}}", "order.amount must be a whole number without decimals")]
    [InlineData("{\"order\": {\"amount\": 99999999999999999999999999, \"invoice_number\": \"A\"}}", "order.amount is too large")]
    public async Task CreatePayment_Returns400WithClearMessage_ForMalformedBodies(string body, string expected)
    {
        using var response = await Server.CreatePaymentAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(Json.Errors(await Json.ReadAsync(response)), e => e.StartsWith(expected, StringComparison.Ordinal));
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM checkout_sessions"));
    }

    [SkippableFact]
    public async Task CreatePayment_Returns400_ForAbsurdNesting()
    {
        var body = "{\"order\":{\"amount\":1000,\"invoice_number\":\"A\",\"x\":" + new string('[', 5000) + new string(']', 5000) + "}}";

        using var response = await Server.CreatePaymentAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(Json.Errors(await Json.ReadAsync(response)), e => e.Contains("nests deeper", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task CreatePayment_Returns400WithAtMost100Messages_For160000EmptyLineItems()
    {
        var items = string.Join(",", Enumerable.Repeat("{}", 160_000));
        var body = $$$"""{"order":{"amount":1000,"invoice_number":"{{{Seed.NewInvoice()}}}","line_items":[{{{items}}}]},"payment":{"payment_method_types":["PEER_TO_PEER_KREDIVO"]}}""";

        using var response = await Server.CreatePaymentAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = Json.Errors(await Json.ReadAsync(response));
        Assert.Equal(100, errors.Length);
        Assert.Equal("order.line_items must have at most 1000 entries", errors[0]);
        Assert.Equal("order.line_items[0].name must be filled for PEER_TO_PEER_KREDIVO", errors[1]);
        Assert.Matches(@"^\.\.\. and [0-9,]+ more errors$", errors[99]);
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM checkout_sessions"));
    }

    [SkippableFact]
    public async Task CreatePayment_TreatsBlankOptionalFieldsAsAbsent_AsWooCommerceSendsThem()
    {
        var invoice = Seed.NewInvoice();
        var body = $$$"""
            {"order":{"amount":"20000","invoice_number":"{{{invoice}}}","currency":"IDR","callback_url":"","language":"",
              "line_items":[{"name":"Kaos","price":"20000","quantity":"1","sku":null,"category":"","url":"","image_url":""}]},
             "payment":{"payment_due_date":"","payment_method_types":["VIRTUAL_ACCOUNT_BCA"]},
             "customer":{"id":null,"name":"Budi","email":"","phone":"","country":""},
             "additional_info":{"override_notification_url":"","allow_tenor":""}}
            """;

        using var response = await Server.CreatePaymentAsync(body);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var payment = (await Json.ReadAsync(response)).GetProperty("response").GetProperty("payment");
        Assert.Equal(CheckoutRules.DefaultPaymentDueDate, payment.GetProperty("payment_due_date").GetInt32());
    }

    [SkippableFact]
    public async Task CreatePayment_NamesABlankFieldAsNotFilled_WhenTheChannelNeedsIt()
    {
        var body = $$$"""
            {"order":{"amount":20000,"invoice_number":"{{{Seed.NewInvoice()}}}","callback_url":"","line_items":[{"name":"Kaos","price":20000,"quantity":1}]},
             "payment":{"payment_method_types":["JENIUS_PAY"]},"customer":{"name":"Budi"}}
            """;

        using var response = await Server.CreatePaymentAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["order.callback_url must be filled for JENIUS_PAY"], Json.Errors(await Json.ReadAsync(response)));
    }

    [SkippableFact]
    public async Task CreatePayment_Returns413_WhenBodyExceedsTheLimit()
    {
        var padding = new string('x', 1024 * 1024);
        var body = $$"""{"order":{"amount":1000,"invoice_number":"{{Seed.NewInvoice()}}"},"pad":"{{padding}}"}""";

        using var response = await Server.CreatePaymentAsync(body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains(Json.Errors(await Json.ReadAsync(response)), e => e.Contains("larger than", StringComparison.Ordinal));
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM checkout_sessions"));
    }

    [SkippableFact]
    public async Task CreatePayment_Returns400_WhenInvoiceIsAlreadyPaid()
    {
        var invoice = Seed.NewInvoice();
        using (var first = await Server.CreatePaymentAsync(Seed.BasicRequest(invoice)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        await Server.ExecuteAsync($"UPDATE checkout_sessions SET status = 'SUCCESS' WHERE invoice_number = '{invoice}'");

        using var again = await Server.CreatePaymentAsync(Seed.BasicRequest(invoice));

        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains($"order.invoice_number {invoice} is already paid", Json.Errors(await Json.ReadAsync(again)));
        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM checkout_sessions"));
    }

    [SkippableFact]
    public async Task CreatePayment_Replays409_WhenTheSameRequestIsSentAgainAfterTheInvoiceWasPaid()
    {
        var invoice = Seed.NewInvoice();
        var requestId = Guid.NewGuid().ToString();
        string original;
        using (var first = await Server.CreatePaymentAsync(Seed.BasicRequest(invoice), requestId))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            original = await first.Content.ReadAsStringAsync();
        }
        await Server.ExecuteAsync($"UPDATE checkout_sessions SET status = 'SUCCESS' WHERE invoice_number = '{invoice}'");

        // The Request-Id decides first, as DOKU checks it before anything else: a replay, not "already paid".
        using var again = await Server.CreatePaymentAsync(Seed.BasicRequest(invoice), requestId);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(original, await again.Content.ReadAsStringAsync());
        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM checkout_sessions"));
    }

    [SkippableFact]
    public async Task CreatePayment_CreatesNewSession_ForUnpaidInvoiceCheckedOutAgain()
    {
        var invoice = Seed.NewInvoice();
        using var first = await Server.CreatePaymentAsync(Seed.BasicRequest(invoice));
        using var second = await Server.CreatePaymentAsync(Seed.BasicRequest(invoice));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var a = (await Json.ReadAsync(first)).GetProperty("response").GetProperty("order").GetProperty("session_id").GetString();
        var b = (await Json.ReadAsync(second)).GetProperty("response").GetProperty("order").GetProperty("session_id").GetString();
        Assert.NotEqual(a, b);
    }

    [SkippableFact]
    public async Task PaymentUrl_ServesThePage_ForACreatedSession()
    {
        var invoice = Seed.NewInvoice();
        using var created = await Server.CreatePaymentAsync(Seed.BasicRequest(invoice));
        var url = (await Json.ReadAsync(created)).GetProperty("response").GetProperty("payment").GetProperty("url").GetString()!;

        using var page = await Server.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains(invoice, html, StringComparison.Ordinal);
        Assert.Contains("Rp20.000", html, StringComparison.Ordinal);
    }
}

public sealed class CreatePaymentTests_Sqlite : CreatePaymentTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class CreatePaymentTests_Postgres : CreatePaymentTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}

public abstract class PublicBaseUrlTests : ServerTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Lunas:PublicBaseUrl"] = "https://pay.example.test/",
    };

    [SkippableFact]
    public async Task CreatePayment_UsesConfiguredPublicBaseUrl_ForPaymentUrl()
    {
        using var response = await Server.CreatePaymentAsync(Seed.BasicRequest(Seed.NewInvoice()));

        var url = (await Json.ReadAsync(response)).GetProperty("response").GetProperty("payment").GetProperty("url").GetString()!;
        Assert.StartsWith("https://pay.example.test/checkout-link-v2/", url, StringComparison.Ordinal);
    }
}

public sealed class PublicBaseUrlTests_Sqlite : PublicBaseUrlTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class PublicBaseUrlTests_Postgres : PublicBaseUrlTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}

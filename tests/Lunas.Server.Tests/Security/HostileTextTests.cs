using System.Net;
using System.Text;
using Lunas.Protocol.Signing;
using Lunas.Server.Tests.Infrastructure;
using Lunas.Tests.Shared;

namespace Lunas.Server.Tests.Security;

/// <summary>
/// Every string read from a request (sandbox bodies, page forms, ids in paths, the create body) is refused with a 400
/// naming the field when it is not valid Unicode or carries control characters; nothing reaches the database (where
/// PostgreSQL would refuse a NUL with a 500).
/// </summary>
public abstract class HostileTextTests : ServerTest
{
    /// <summary>JSON-escaped values that decode to bad text, and one raw byte that is not UTF-8.</summary>
    public static TheoryData<string, string> BadJsonStrings => new()
    {
        { "\"\\ud800\"", "must be valid Unicode text" },
        { "\"INV\\u0000X\"", "must not contain control characters" },
        { "\"INV\\u001b\"", "must not contain control characters" },
        { "\"INV\u00ff\"", "must be valid Unicode text" }, // written as the single byte 0xFF below
    };

    private static byte[] Body(string template, string value)
    {
        // ÿ stands for a raw 0xFF byte, so the body is invalid UTF-8 exactly there.
        var bytes = Encoding.UTF8.GetBytes(template.Replace("VALUE", value, StringComparison.Ordinal));
        var marker = Encoding.UTF8.GetBytes("\u00ff");
        var at = bytes.AsSpan().IndexOf(marker);
        return at < 0 ? bytes : [.. bytes[..at], 0xFF, .. bytes[(at + marker.Length)..]];
    }

    [SkippableTheory]
    [MemberData(nameof(BadJsonStrings))]
    public async Task Sandbox_Returns400NamingTheField_ForUncleanText(string value, string message)
    {
        var order = await Server.CreateAsync();
        var cases = new (string Path, string Template, string Field)[]
        {
            ("/sandbox/v1/payments", "{\"invoice_number\":VALUE,\"payment_method_type\":\"QRIS\",\"result\":\"SUCCESS\"}", "invoice_number"),
            ("/sandbox/v1/payments", $"{{\"invoice_number\":\"{order.Invoice}\",\"payment_method_type\":VALUE,\"result\":\"SUCCESS\"}}", "payment_method_type"),
            ("/sandbox/v1/virtual-accounts/payments", "{\"virtual_account_number\":VALUE}", "virtual_account_number"),
            ("/sandbox/v1/virtual-accounts/payments", "{\"virtual_account_number\":\"123\",\"channel\":VALUE}", "channel"),
            ("/sandbox/v1/virtual-accounts/payments", "{\"virtual_account_number\":\"123\",\"amount\":VALUE}", "amount"),
            ("/sandbox/v1/convenience-stores/payments", "{\"payment_code\":VALUE}", "payment_code"),
            ("/sandbox/v1/qris/payments", "{\"qr_content\":VALUE}", "qr_content"),
            ("/sandbox/v1/qris/payments", "{\"qr_content\":\"x\",\"issuer\":VALUE}", "issuer"),
            ("/sandbox/v1/cards/challenges", "{\"invoice_number\":VALUE,\"result\":\"SUCCESS\"}", "invoice_number"),
        };
        foreach (var (path, template, field) in cases)
        {
            var headers = SignedRequests.Headers(TestServer.ClientId, TestServer.SecretKey, Guid.NewGuid().ToString(),
                DokuSignature.FormatTimestamp(Server.Clock.GetUtcNow()), path, Body(template, value));
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Body(template, value)) };
            foreach (var (name, header) in headers) request.Headers.Add(name, header);
            using var response = await Server.Http.SendAsync(request);

            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path} {field}: {(int)response.StatusCode} {text}");
            var expected = field == "amount" ? "amount must be a positive whole number" : $"{field} {message}";
            Assert.Contains(expected, Json.Errors(await Json.ReadAsync(response)));
        }
        Assert.Equal("PENDING", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }

    [SkippableTheory]
    [InlineData("/orders/v1/status/INV%01X", "the order id in the path must not contain control characters")]
    [InlineData("/orders/v1/status/%FF%FE", "the order id in the path must be valid Unicode text")]
    [InlineData("/orders/v1/status/%ED%A0%80", "the order id in the path must be valid Unicode text")]
    [InlineData("/notifications/v1/invoices/INV%0A", "the invoice_number in the path must not contain control characters")]
    [InlineData("/notifications/v1/invoices/%C0%AF", "the invoice_number in the path must be valid Unicode text")]
    public async Task SignedGet_Returns400NamingThePath_ForUncleanId(string path, string expected)
    {
        using var message = SignedHttp.Request(path, null, at: Server.Clock.GetUtcNow());
        using var response = await Server.Http.SendAsync(message);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, Json.Errors(await Json.ReadAsync(response)));
    }

    [SkippableFact]
    public async Task Resend_Returns400NamingThePath_ForUncleanId()
    {
        using var response = await Server.PostSignedAsync("/notifications/v1/N%7FX/resend", "{}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("the notification id in the path must not contain control characters", Json.Errors(await Json.ReadAsync(response)));
    }

    [SkippableTheory]
    [InlineData("/checkout-link-v2/abc%01def", 404)]
    [InlineData("/checkout-link-v2/%FF", 404)]
    [InlineData("/checkout-link-v2/abc%01def/state", 404)]
    [InlineData("/checkout-link-v2/abc%00def", 400)] // Kestrel refuses a NUL in the path before any endpoint runs
    [InlineData("/orders/v1/status/INV%00", 400)]
    public async Task Page_Returns4xxWithoutLookup_ForTokenThatCannotBeAToken(string path, int expected)
    {
        var status = await RawHttp.SendAsync(Server.BaseUrl, "GET", RawHttp.Ascii(path), []);

        Assert.Equal(expected, status);
    }

    [SkippableTheory]
    [InlineData("otp=%00", "otp must not contain control characters")]
    [InlineData("otp=12%FF", "otp must be valid Unicode text")]
    [InlineData("otp=%ED%A0%80", "otp must be valid Unicode text")]
    [InlineData("otp=12345678901234567", "otp max length is 16")]
    [InlineData("channel=DIRECT_DEBIT_BRI&otp=1&note=%01", "note must not contain control characters")]
    [InlineData("%00=1", "a form field name must not contain control characters")]
    public async Task PageForm_Returns400NamingTheField_ForUncleanOrLongValue(string form, string expected)
    {
        var order = await Server.CreateAsync();
        using var response = await PostFormAsync(order, "otp", Encoding.ASCII.GetBytes(form));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(expected), await response.Content.ReadAsStringAsync());
        Assert.Equal("PENDING", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task PageForm_Returns413_WhenLargerThan16KB()
    {
        var order = await Server.CreateAsync();
        using var response = await PostFormAsync(order, "card", Encoding.ASCII.GetBytes("channel=CREDIT_CARD&x=" + new string('a', 16 * 1024)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [SkippableFact]
    public async Task PageForm_Returns400_ForCardNumberOver32Characters()
    {
        var order = await Server.CreateAsync();
        using var response = await PostFormAsync(order, "card",
            Encoding.ASCII.GetBytes("channel=CREDIT_CARD&card_number=" + new string('4', 33) + "&expiry=12%2F30&cvv=123"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("card_number max length is 32", await response.Content.ReadAsStringAsync());
    }

    [SkippableTheory]
    [InlineData("customer", "name", "\"Budi\\u0000\"", "customer.name must not contain control characters")]
    [InlineData("customer", "address", "\"Jl. \\udc00\"", "customer.address must be valid Unicode text")]
    [InlineData("order", "callback_url", "\"https://shop.example/\\u0007\"", "order.callback_url must not contain control characters")]
    public async Task CreatePayment_Returns400NamingTheField_ForUncleanText(string block, string field, string value, string expected)
    {
        var invoice = Seed.NewInvoice();
        var body = block == "order"
            ? $$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}","{{{field}}}":{{{value}}}},"payment":{"payment_due_date":60}}"""
            : $$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}"},"{{{block}}}":{"{{{field}}}":{{{value}}}}}""";
        using var response = await Server.CreatePaymentAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, Json.Errors(await Json.ReadAsync(response)));
    }

    private async Task<HttpResponseMessage> PostFormAsync(PayHelpers.Created order, string action, byte[] form)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(Server.BaseUrl) };
        var content = new ByteArrayContent(form);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        var response = await http.PostAsync($"/checkout-link-v2/{order.Token}/{action}", content);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}

public sealed class HostileTextTests_Sqlite : HostileTextTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class HostileTextTests_Postgres : HostileTextTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}

using System.Net;
using System.Text.Json;
using Lunas.Protocol.Signing;
using Lunas.Server.Payments;
using Lunas.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Lunas.Server.Tests.Payments;

public abstract class PaymentApiTests : ServerTest
{
    [SkippableFact]
    public async Task Status_ReportsGeneratedOrderWithNullChannel_BeforeAChoice()
    {
        var order = await Server.CreateAsync();

        var status = await Server.StatusAsync(order.Invoice);

        Assert.Equal("PENDING", status.TransactionStatus());
        Assert.Equal("ORDER_GENERATED", status.GetProperty("order").GetProperty("status").GetString());
        Assert.Equal(20000, status.GetProperty("order").GetProperty("amount").GetInt64());
        Assert.Equal(order.RequestId, status.GetProperty("transaction").GetProperty("original_request_id").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("service").GetProperty("id").ValueKind);
        Assert.Equal(JsonValueKind.Null, status.GetProperty("acquirer").GetProperty("id").ValueKind);
        Assert.Equal(JsonValueKind.Null, status.GetProperty("channel").GetProperty("id").ValueKind);
    }

    [SkippableFact]
    public async Task Status_FindsOrder_ByCheckoutRequestId()
    {
        var order = await Server.CreateAsync();

        var status = await Server.StatusAsync(order.RequestId);

        Assert.Equal(order.Invoice, status.GetProperty("order").GetProperty("invoice_number").GetString());
    }

    [SkippableFact]
    public async Task Status_Returns404WithErrorMessages_ForUnknownInvoice()
    {
        using var response = await Server.GetSignedAsync("/orders/v1/status/INV-NOPE");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(Json.Errors(await Json.ReadAsync(response)), e => e.Contains("INV-NOPE", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Status_Returns401_WhenSignedWithADigestLine()
    {
        var order = await Server.CreateAsync();
        var path = "/orders/v1/status/" + order.Invoice;
        var requestId = Guid.NewGuid().ToString();
        var stamp = DokuSignature.FormatTimestamp(Server.Clock.GetUtcNow());
        using var message = new HttpRequestMessage(HttpMethod.Get, path);
        message.Headers.Add("Client-Id", TestServer.ClientId);
        message.Headers.Add("Request-Id", requestId);
        message.Headers.Add("Request-Timestamp", stamp);
        message.Headers.Add("Signature", DokuSignature.SignBody(TestServer.SecretKey, TestServer.ClientId, requestId, stamp, path, [], hasBody: true));

        using var response = await Server.Http.SendAsync(message);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [SkippableFact]
    public async Task Status_AcceptsTheVectorsGetForm_Verbatim()
    {
        // The check-status-get vector was signed at 2020-08-11T08:45:42Z for invoice INV-20210231-0001.
        var vector = JsonDocument.Parse(File.ReadAllText(Path.Combine(Paths.Shared, "spec", "signature-vectors.json")))
            .RootElement.GetProperty("vectors").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "check-status-get");
        var signedAt = DateTimeOffset.Parse(vector.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        using var database = CreateDatabase();
        await using var server = await TestServer.StartAsync(database, clock: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(signedAt));
        await server.CreateAsync(invoice: "INV-20210231-0001");
        using var message = new HttpRequestMessage(HttpMethod.Get, vector.GetProperty("request_target").GetString());
        message.Headers.Add("Client-Id", vector.GetProperty("client_id").GetString());
        message.Headers.Add("Request-Id", vector.GetProperty("request_id").GetString());
        message.Headers.Add("Request-Timestamp", vector.GetProperty("timestamp").GetString());
        message.Headers.Add("Signature", vector.GetProperty("signature").GetString());

        using var response = await server.Http.SendAsync(message);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(DokuSignature.Verify(TestServer.SecretKey, TestServer.ClientId, vector.GetProperty("request_id").GetString()!,
            response.Headers.GetValues("Response-Timestamp").Single(), "/orders/v1/status/INV-20210231-0001",
            DokuSignature.Digest(body), response.Headers.GetValues("Signature").Single(), DokuSignature.ResponseTimestamp));
    }

    [SkippableTheory]
    [InlineData("VIRTUAL_ACCOUNT_BCA", "VIRTUAL_ACCOUNT", "BCA", "virtual_account_payment")]
    [InlineData("VIRTUAL_ACCOUNT_BRI", "VIRTUAL_ACCOUNT", "BRI", "virtual_account_info")]
    [InlineData("ONLINE_TO_OFFLINE_ALFA", "ONLINE_TO_OFFLINE", "ALFA", "online_to_offline_payment")]
    [InlineData("QRIS", "QRIS", "SANDBOX", "qris_payment")]
    [InlineData("CREDIT_CARD", "CREDIT_CARD", "BANK_MANDIRI", "card_payment")]
    [InlineData("EMONEY_OVO", "EMONEY", "OVO", "emoney_payment")]
    [InlineData("EMONEY_SHOPEEPAY", "EMONEY", "SHOPEE_PAY", "emoney_payment")]
    [InlineData("DIRECT_DEBIT_CIMB", "DIRECT_DEBIT", "CIMB", "card_payment")]
    [InlineData("OCTO_CLICKS", "ONLINE_BANKING", "BANK_CIMB", "online_banking_payment")]
    public async Task Simulator_PaysEachChannelFamily_AndStatusShowsItsBlock(string channel, string service, string acquirer, string block)
    {
        var invoice = Seed.NewInvoice();
        var order = await Server.CreateAsync(
            $$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}"},"payment":{"payment_method_types":["{{{channel}}}"]}}""");

        using var response = await Server.SimulateAsync(order.Invoice, channel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = await Json.ReadAsync(response);
        Assert.Equal("SUCCESS", reply.TransactionStatus());
        var status = await Server.StatusAsync(order.Invoice);
        Assert.Equal("SUCCESS", status.TransactionStatus());
        Assert.Equal(service, status.GetProperty("service").GetProperty("id").GetString());
        Assert.Equal(acquirer, status.GetProperty("acquirer").GetProperty("id").GetString());
        Assert.Equal(channel, status.GetProperty("channel").GetProperty("id").GetString());
        Assert.True(status.TryGetProperty(block, out _), status.ToString());
    }

    [SkippableFact]
    public async Task Simulator_PaysPaylater_WhenTheOrderMeetsItsConditions()
    {
        var invoice = "INV" + Guid.NewGuid().ToString("N")[..10];
        var order = await Server.CreateAsync(Seed.FullRequest(invoice).Replace("gift-and-flowers", "gifts-and-flowers", StringComparison.Ordinal));

        using var response = await Server.SimulateAsync(order.Invoice, "PEER_TO_PEER_KREDIVO");

        var status = await Json.ReadAsync(response);
        Assert.Equal("SUCCESS", status.TransactionStatus());
        Assert.True(status.GetProperty("peer_to_peer_info").GetProperty("tenor").GetInt32() > 0);
    }

    [SkippableFact]
    public async Task Simulator_FailedResult_LeavesOrderRetryable()
    {
        var order = await Server.CreateAsync();

        using var failed = await Server.SimulateAsync(order.Invoice, "CREDIT_CARD", "FAILED");
        Assert.Equal("FAILED", (await Json.ReadAsync(failed)).TransactionStatus());
        Assert.Equal("05", (await Server.StatusAsync(order.Invoice)).GetProperty("card_payment").GetProperty("response_code").GetString());

        using var retried = await Server.SimulateAsync(order.Invoice, "VIRTUAL_ACCOUNT_BNI");
        Assert.Equal("SUCCESS", (await Json.ReadAsync(retried)).TransactionStatus());
    }

    [SkippableFact]
    public async Task Simulator_RefusesRetry_WhenDisableRetryPayment()
    {
        var invoice = Seed.NewInvoice();
        var order = await Server.CreateAsync($$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}","disable_retry_payment":true},"payment":{}}""");
        using var failed = await Server.SimulateAsync(order.Invoice, "EMONEY_OVO", "FAILED");

        using var retried = await Server.SimulateAsync(order.Invoice, "VIRTUAL_ACCOUNT_BNI");

        Assert.Equal(HttpStatusCode.Conflict, retried.StatusCode);
        Assert.Contains(Json.Errors(await Json.ReadAsync(retried)), e => e.Contains("disable_retry_payment", StringComparison.Ordinal));
        Assert.Equal("FAILED", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task Simulator_AllowsRetry_WhenDisableRetryPaymentButTheFailedChannelIsNotCoveredByIt()
    {
        // The seed limits disable_retry_payment to Credit Card, DOKU Wallet, Akulaku, OVO and ShopeePay.
        var invoice = Seed.NewInvoice();
        var order = await Server.CreateAsync($$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}","disable_retry_payment":true},"payment":{}}""");
        using var failed = await Server.SimulateAsync(order.Invoice, "VIRTUAL_ACCOUNT_BCA", "FAILED");
        Assert.Equal("FAILED", (await Json.ReadAsync(failed)).TransactionStatus());

        using var retried = await Server.SimulateAsync(order.Invoice, "VIRTUAL_ACCOUNT_BNI");

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("SUCCESS", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task Expiry_LeavesAFinalFailureFailed_WhenRetryIsDisabled()
    {
        var invoice = Seed.NewInvoice();
        var order = await Server.CreateAsync(
            $$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}","disable_retry_payment":true,"recover_abandoned_cart":true,"expired_recovered_cart":10},"payment":{"payment_due_date":5}}""");
        using var failed = await Server.SimulateAsync(order.Invoice, "CREDIT_CARD", "FAILED");

        Server.Clock.Advance(TimeSpan.FromMinutes(6));
        var swept = await Server.Services.GetRequiredService<ExpirySweeper>().ExpireDueAsync(CancellationToken.None);
        using var recover = await Server.SubmitAsync(order, "recover");

        Assert.Equal(0, swept);
        Assert.Equal("FAILED", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
        Assert.Equal(HttpStatusCode.Conflict, recover.StatusCode);
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM notifications WHERE event = 'EXPIRED'"));
    }

    [SkippableFact]
    public async Task Expiry_ClosesAnUnpaidSiblingSessionQuietly_WhenTheInvoiceWasPaidThroughAnother()
    {
        var invoice = Seed.NewInvoice();
        var body = $$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}"},"payment":{"payment_due_date":5}}""";
        var first = await Server.CreateAsync(body);
        var second = await Server.CreateAsync(body);
        var number = await Server.ChooseCodeAsync(second, "VIRTUAL_ACCOUNT_BCA");
        using (var paid = await Server.PayVaAsync(number)) Assert.Equal(HttpStatusCode.OK, paid.StatusCode);

        Server.Clock.Advance(TimeSpan.FromMinutes(6));
        await Server.Services.GetRequiredService<ExpirySweeper>().ExpireDueAsync(CancellationToken.None);
        using var page = await Server.Http.GetAsync(new Uri(first.Url).PathAndQuery);

        // The merchant hears SUCCESS for the invoice, never EXPIRED; the old link shows the order as paid.
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM notifications WHERE invoice_number = '{invoice}'"));
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM notifications WHERE event = 'EXPIRED'"));
        Assert.Equal("SUCCESS", (await Server.StatusAsync(invoice)).TransactionStatus());
        Assert.Equal(1, await Server.CountAsync(
            $"SELECT COUNT(*) FROM checkout_sessions WHERE invoice_number = '{invoice}' AND status = 'EXPIRED'"));
        Assert.Contains("class=\"result success\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("INV/2026/", "INV%2F2026%2F")]
    [InlineData("INV%2F", "INV%252F")] // a literal "%2F" in the invoice, escaped once by the client
    [InlineData("INV 1+", "INV%201%2B")]
    public async Task Status_FindsTheInvoice_WhenItsNumberNeedsEscapingInThePath(string prefix, string escapedPrefix)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var order = await Server.CreateAsync($$$"""{"order":{"amount":20000,"invoice_number":"{{{prefix + suffix}}}"},"payment":{}}""");

        using var response = await Server.GetSignedAsync("/orders/v1/status/" + escapedPrefix + suffix);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(order.Invoice, (await Json.ReadAsync(response)).GetProperty("order").GetProperty("invoice_number").GetString());
    }

    [SkippableFact]
    public async Task Simulator_Refuses_UnknownInvoiceUnofferedChannelAndSecondPayment()
    {
        var invoice = Seed.NewInvoice();
        var order = await Server.CreateAsync($$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}"},"payment":{"payment_method_types":["QRIS"]}}""");

        using var unknown = await Server.SimulateAsync("INV-NOPE", "QRIS");
        using var unoffered = await Server.SimulateAsync(order.Invoice, "VIRTUAL_ACCOUNT_BCA");
        using var paid = await Server.SimulateAsync(order.Invoice, "QRIS");
        using var again = await Server.SimulateAsync(order.Invoice, "QRIS");
        using var badBody = await Server.PostSignedAsync("/sandbox/v1/payments", """{"invoice_number":5,"result":"MAYBE"}""");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unoffered.StatusCode);
        Assert.Contains(Json.Errors(await Json.ReadAsync(unoffered)), e => e.Contains("not offered", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains(Json.Errors(await Json.ReadAsync(again)), e => e.Contains("already paid", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, badBody.StatusCode);
        var errors = Json.Errors(await Json.ReadAsync(badBody));
        Assert.Contains("invoice_number must be a string", errors);
        Assert.Contains("payment_method_type must be filled", errors);
        Assert.Contains("result must be SUCCESS or FAILED", errors);
    }

    [SkippableFact]
    public async Task Simulator_Returns401_WhenUnsigned()
    {
        using var response = await Server.Http.PostAsync("/sandbox/v1/payments", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [SkippableFact]
    public async Task VirtualAccount_NumberIsStableForTheOrder_AndUniqueAcrossOrders()
    {
        var a = await Server.CreateAsync();
        var b = await Server.CreateAsync();

        var first = await Server.ChooseCodeAsync(a, "VIRTUAL_ACCOUNT_BCA");
        var again = await Server.ChooseCodeAsync(a, "VIRTUAL_ACCOUNT_BCA");
        var other = await Server.ChooseCodeAsync(b, "VIRTUAL_ACCOUNT_BCA");

        Assert.Matches("^19008[0-9]{11}$", first);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [SkippableFact]
    public async Task VirtualAccount_PaidByBank_CompletesOrder_AndRefusesWrongAmountAndUnknownNumber()
    {
        var order = await Server.CreateAsync();
        var number = await Server.ChooseCodeAsync(order, "VIRTUAL_ACCOUNT_BNI");

        using var wrong = await Server.PayVaAsync(number, 19999);
        using var unknown = await Server.PayVaAsync("8492000000000000");
        using var paid = await Server.PayVaAsync(number, 20000);
        using var twice = await Server.PayVaAsync(number, 20000);

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        var status = await Server.StatusAsync(order.Invoice);
        Assert.Equal("SUCCESS", status.TransactionStatus());
        Assert.Equal(number, status.GetProperty("virtual_account_info").GetProperty("virtual_account_number").GetString());
    }

    [SkippableFact]
    public async Task ConvenienceStore_PaidByCode_CompletesOrder()
    {
        var order = await Server.CreateAsync();
        var code = await Server.ChooseCodeAsync(order, "ONLINE_TO_OFFLINE_INDOMARET");

        using var paid = await Server.PostSignedAsync("/sandbox/v1/convenience-stores/payments", $$"""{"payment_code":"{{code}}"}""");

        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        var status = await Server.StatusAsync(order.Invoice);
        Assert.Equal(code, status.GetProperty("online_to_offline_info").GetProperty("payment_code").GetString());
        Assert.Equal("SUCCESS", status.TransactionStatus());
    }

    [SkippableFact]
    public async Task Qris_PayloadFromThePage_IsPaidByAWallet_AndATamperedOneIsRefused()
    {
        var order = await Server.CreateAsync();
        var payload = await Server.ChooseCodeAsync(order, "QRIS");
        Assert.StartsWith("000201", payload, StringComparison.Ordinal);
        Assert.Contains("5405" + "20000", payload, StringComparison.Ordinal);

        var tampered = payload.Replace("5405" + "20000", "5405" + "10000", StringComparison.Ordinal);
        using var refused = await Server.PostSignedAsync("/sandbox/v1/qris/payments", $$"""{"qr_content":"{{tampered}}"}""");
        using var paid = await Server.PostSignedAsync("/sandbox/v1/qris/payments", $$"""{"qr_content":"{{payload}}","issuer":"gopay"}""");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(Json.Errors(await Json.ReadAsync(refused)), e => e.StartsWith("qr_content is not a valid QRIS payload", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        var status = await Server.StatusAsync(order.Invoice);
        Assert.Equal("GOPAY", status.GetProperty("acquirer").GetProperty("id").GetString());
        Assert.Equal("SUCCESS", status.TransactionStatus());
    }

    [SkippableFact]
    public async Task Qris_PayloadHasALuhnValidPan_AndAPlaceholderName_WhenTheMerchantNameHasNoAscii()
    {
        await Server.ExecuteAsync($"UPDATE merchants SET name = '咖啡店' WHERE client_id = '{TestServer.ClientId}'");
        var order = await Server.CreateAsync();

        var payload = await Server.ChooseCodeAsync(order, "QRIS");

        Assert.True(Lunas.Protocol.Payments.Qris.TryParse(payload, out var parsed, out var error), error);
        Assert.Equal("MERCHANT", parsed!.MerchantName);
        // Tag 26 is a template: sub-field 01 is the merchant PAN.
        var account = parsed.Fields["26"];
        string? pan = null;
        for (var i = 0; i + 4 <= account.Length; i += 4 + int.Parse(account.AsSpan(i + 2, 2), System.Globalization.CultureInfo.InvariantCulture))
        {
            if (account.AsSpan(i, 2) is "01") pan = account.Substring(i + 4, int.Parse(account.AsSpan(i + 2, 2), System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Equal(19, pan!.Length);
        Assert.StartsWith("9360", pan, StringComparison.Ordinal);
        Assert.True(Lunas.Protocol.Payments.Cards.IsLuhnValid(pan));
    }

    [SkippableFact]
    public async Task Card_ThreeDSecure_IsRedirectThenAnsweredBySimulator()
    {
        var order = await Server.CreateAsync();
        using var card = await Server.SubmitAsync(order, "card", ("channel", "CREDIT_CARD"), ("card_number", "4000 0000 0000 3220"),
            ("expiry", Server.Clock.GetUtcNow().AddYears(1).ToString("MM/yy", System.Globalization.CultureInfo.InvariantCulture)), ("cvv", "123"));
        Assert.Equal(HttpStatusCode.Redirect, card.StatusCode);
        Assert.Equal("REDIRECT", (await Server.StatusAsync(order.Invoice)).TransactionStatus());

        using var answer = await Server.PostSignedAsync("/sandbox/v1/cards/challenges", $$"""{"invoice_number":"{{order.Invoice}}","result":"SUCCESS"}""");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var status = await Server.StatusAsync(order.Invoice);
        Assert.Equal("SUCCESS", status.TransactionStatus());
        Assert.Equal("400000******3220", status.GetProperty("card_payment").GetProperty("masked_card_number").GetString());
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM payment_attempts WHERE details LIKE '%4000000000003220%'"));
    }

    [SkippableFact]
    public async Task Card_InvalidForm_Returns400AndStoresNothing()
    {
        var order = await Server.CreateAsync();

        using var card = await Server.SubmitAsync(order, "card", ("channel", "CREDIT_CARD"), ("card_number", "4111 1111 1111 1112"),
            ("expiry", "13/20"), ("cvv", "1"));

        Assert.Equal(HttpStatusCode.BadRequest, card.StatusCode);
        var html = await card.Content.ReadAsStringAsync();
        Assert.Contains("card_number is not a valid card number", html, StringComparison.Ordinal);
        Assert.Contains("cvv must be 3 digits", html, StringComparison.Ordinal);
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM payment_attempts"));
    }

    [SkippableFact]
    public async Task Card_Authorize_IsHeldAsSuccessWithAuthorizeType()
    {
        var invoice = Seed.NewInvoice();
        var order = await Server.CreateAsync($$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}"},"payment":{"type":"AUTHORIZE"}}""");

        using var response = await Server.SimulateAsync(order.Invoice, "CREDIT_CARD");

        var status = await Json.ReadAsync(response);
        Assert.Equal("SUCCESS", status.TransactionStatus());
        Assert.Equal("AUTHORIZE", status.GetProperty("transaction").GetProperty("type").GetString());
    }

    [SkippableFact]
    public async Task Card_Installment_RequiresAnAllowedTenor()
    {
        var invoice = Seed.NewInvoice();
        var order = await Server.CreateAsync(
            $$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}"},"payment":{"type":"INSTALLMENT"},"additional_info":{"allow_tenor":[3,6]}}""");
        var expiry = Server.Clock.GetUtcNow().AddYears(1).ToString("MM/yy", System.Globalization.CultureInfo.InvariantCulture);

        using var refused = await Server.SubmitAsync(order, "card", ("channel", "CREDIT_CARD"), ("card_number", "4111111111111111"),
            ("expiry", expiry), ("cvv", "123"), ("tenor", "12"));
        using var paid = await Server.SubmitAsync(order, "card", ("channel", "CREDIT_CARD"), ("card_number", "4111111111111111"),
            ("expiry", expiry), ("cvv", "123"), ("tenor", "6"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, paid.StatusCode);
        var status = await Server.StatusAsync(order.Invoice);
        Assert.Equal(6, status.GetProperty("card_payment").GetProperty("installment_tenor").GetInt32());
        Assert.Equal("INSTALLMENT", status.GetProperty("transaction").GetProperty("type").GetString());
    }

    [SkippableFact]
    public async Task DirectDebit_WrongOtpFails_RightOtpSucceeds()
    {
        var order = await Server.CreateAsync();

        using var wrong = await Server.SubmitAsync(order, "otp", ("channel", "DIRECT_DEBIT_CIMB"), ("otp", "000000"));
        Assert.Equal("FAILED", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
        using var right = await Server.SubmitAsync(order, "otp", ("channel", "DIRECT_DEBIT_CIMB"), ("otp", "123456"));

        Assert.Equal("SUCCESS", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task Expiry_MakesOrderExpired_AndRefusesLatePayment()
    {
        var invoice = Seed.NewInvoice();
        var order = await Server.CreateAsync($$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}"},"payment":{"payment_due_date":5}}""");
        var number = await Server.ChooseCodeAsync(order, "VIRTUAL_ACCOUNT_BCA");

        Server.Clock.Advance(TimeSpan.FromMinutes(5));
        var status = await Server.StatusAsync(order.Invoice);
        using var late = await Server.PayVaAsync(number);

        Assert.Equal("EXPIRED", status.TransactionStatus());
        Assert.Equal("ORDER_EXPIRED", status.GetProperty("order").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains(Json.Errors(await Json.ReadAsync(late)), e => e.Contains("expired", StringComparison.Ordinal));
        Assert.Equal("EXPIRED", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task Expiry_IsPaidJustBeforeTheDueTime()
    {
        var invoice = Seed.NewInvoice();
        var order = await Server.CreateAsync($$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}"},"payment":{"payment_due_date":5}}""");
        var number = await Server.ChooseCodeAsync(order, "VIRTUAL_ACCOUNT_BCA");

        Server.Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        using var paid = await Server.PayVaAsync(number);

        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
    }

    [SkippableFact]
    public async Task Recovery_ReopensExpiredOrderOnce_ForExpiredRecoveredCartMinutes()
    {
        var invoice = Seed.NewInvoice();
        var order = await Server.CreateAsync(
            $$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}","recover_abandoned_cart":true,"expired_recovered_cart":10},"payment":{"payment_due_date":5}}""");
        Server.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal("EXPIRED", (await Server.StatusAsync(order.Invoice)).TransactionStatus());

        using var recover = await Server.SubmitAsync(order, "recover");

        Assert.Equal(HttpStatusCode.Redirect, recover.StatusCode);
        var status = await Server.StatusAsync(order.Invoice);
        Assert.Equal("PENDING", status.TransactionStatus());
        Assert.Equal("ORDER_RECOVERED", status.GetProperty("order").GetProperty("status").GetString());
        Server.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal("EXPIRED", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
        using var second = await Server.SubmitAsync(order, "recover");
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("EXPIRED", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task Recovery_MakesTheOrderPayableAgain()
    {
        var invoice = Seed.NewInvoice();
        var order = await Server.CreateAsync(
            $$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}","recover_abandoned_cart":true,"expired_recovered_cart":10},"payment":{"payment_due_date":5}}""");
        Server.Clock.Advance(TimeSpan.FromMinutes(6));
        await Server.StatusAsync(order.Invoice);
        using var recover = await Server.SubmitAsync(order, "recover");

        using var paid = await Server.SimulateAsync(order.Invoice, "VIRTUAL_ACCOUNT_BCA");

        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
    }

    [SkippableFact]
    public async Task Recovery_IsRefused_WhenTheOrderOffersNoVirtualAccountStoreOrCard()
    {
        var invoice = Seed.NewInvoice();
        var order = await Server.CreateAsync(
            $$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}","recover_abandoned_cart":true,"expired_recovered_cart":10},"payment":{"payment_due_date":5,"payment_method_types":["QRIS","EMONEY_OVO"]}}""");
        Server.Clock.Advance(TimeSpan.FromMinutes(6));
        await Server.StatusAsync(order.Invoice);

        using var recover = await Server.SubmitAsync(order, "recover");

        Assert.Equal(HttpStatusCode.Conflict, recover.StatusCode);
        Assert.Equal("EXPIRED", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task Recovery_OffersOnlyVirtualAccountStoreAndCardChannels()
    {
        var invoice = Seed.NewInvoice();
        var order = await Server.CreateAsync(
            $$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}","recover_abandoned_cart":true,"expired_recovered_cart":10},"payment":{"payment_due_date":5,"payment_method_types":["QRIS","VIRTUAL_ACCOUNT_BCA"]}}""");
        Server.Clock.Advance(TimeSpan.FromMinutes(6));
        await Server.StatusAsync(order.Invoice);
        using var recover = await Server.SubmitAsync(order, "recover");

        using var qris = await Server.SimulateAsync(order.Invoice, "QRIS");
        using var va = await Server.SimulateAsync(order.Invoice, "VIRTUAL_ACCOUNT_BCA");

        Assert.Equal(HttpStatusCode.BadRequest, qris.StatusCode);
        Assert.Contains(Json.Errors(await Json.ReadAsync(qris)), e => e.Contains("not offered", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, va.StatusCode);
    }

    [SkippableFact]
    public async Task Recovery_IsRefused_WithoutRecoverAbandonedCart()
    {
        var invoice = Seed.NewInvoice();
        var order = await Server.CreateAsync($$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}"},"payment":{"payment_due_date":5}}""");
        Server.Clock.Advance(TimeSpan.FromMinutes(6));

        using var recover = await Server.SubmitAsync(order, "recover");

        Assert.Equal(HttpStatusCode.Conflict, recover.StatusCode);
        Assert.Equal("EXPIRED", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task RacingPayments_OnOneOrder_GiveOneSuccess()
    {
        var order = await Server.CreateAsync();
        var bca = await Server.ChooseCodeAsync(order, "VIRTUAL_ACCOUNT_BCA");
        var bni = await Server.ChooseCodeAsync(order, "VIRTUAL_ACCOUNT_BNI");

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? Server.PayVaAsync(bca) : Server.PayVaAsync(bni)));

        Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM payment_attempts WHERE status = 'SUCCESS'"));
    }

    [SkippableFact]
    public async Task PaidInvoice_CannotBePaidAgainThroughAnOlderSession()
    {
        var invoice = Seed.NewInvoice();
        var first = await Server.CreateAsync(invoice: invoice);
        var second = await Server.CreateAsync(invoice: invoice);
        var oldNumber = await Server.ChooseCodeAsync(first, "VIRTUAL_ACCOUNT_BCA");
        using var paidNew = await Server.SimulateAsync(invoice, "VIRTUAL_ACCOUNT_BRI");
        Assert.Equal(HttpStatusCode.OK, paidNew.StatusCode);

        using var paidOld = await Server.PayVaAsync(oldNumber);

        Assert.Equal(HttpStatusCode.Conflict, paidOld.StatusCode);
        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM checkout_sessions WHERE status = 'SUCCESS'"));
        Assert.NotEqual(first.Token, second.Token);
    }

    [SkippableFact]
    public async Task PageSteps_AnswerWithoutA500_ForNonFormOrMissingChoice()
    {
        var order = await Server.CreateAsync();

        using var json = await Server.Http.PostAsync($"/checkout-link-v2/{order.Token}/card", new StringContent("{\"card_number\":1}"));
        using var none = await Server.SubmitAsync(order, "choose");
        using var unknown = await Server.SubmitAsync(order, "approve", ("channel", "NOPE"), ("decision", "approve"));
        using var missing = await Server.Http.PostAsync("/checkout-link-v2/no-such-token/choose", new FormUrlEncodedContent([]));

        Assert.True((int)json.StatusCode < 500, json.StatusCode.ToString());
        Assert.Equal(HttpStatusCode.Conflict, none.StatusCode);
        Assert.Contains("choose a payment method", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("PENDING", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task PaidOlderSession_SettlesTheInvoice_ForStatusPageAndSimulator()
    {
        var invoice = Seed.NewInvoice();
        var older = await Server.CreateAsync(invoice: invoice);
        var newer = await Server.CreateAsync(invoice: invoice);
        var number = await Server.ChooseCodeAsync(older, "VIRTUAL_ACCOUNT_BCA");

        using var paid = await Server.PayVaAsync(number);
        var status = await Server.StatusAsync(invoice);
        var newerPage = await Server.Http.GetStringAsync($"/checkout-link-v2/{newer.Token}");
        using var again = await Server.SimulateAsync(invoice, "QRIS");
        using var choose = await Server.SubmitAsync(newer, "choose", ("channel", "VIRTUAL_ACCOUNT_BNI"));

        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal("SUCCESS", status.TransactionStatus());
        Assert.Equal(number, status.GetProperty("virtual_account_info").GetProperty("virtual_account_number").GetString());
        Assert.Contains("result success", newerPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, choose.StatusCode);
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM payment_attempts WHERE channel = 'VIRTUAL_ACCOUNT_BNI'"));
    }

    [SkippableTheory]
    [InlineData("approve", "VIRTUAL_ACCOUNT_BCA")]
    [InlineData("approve", "CREDIT_CARD")]
    [InlineData("otp", "EMONEY_OVO")]
    [InlineData("card", "QRIS")]
    public async Task PageStep_RefusesAChannelOfAnotherFamily(string action, string channel)
    {
        var order = await Server.CreateAsync();

        using var step = await Server.SubmitAsync(order, action, ("channel", channel), ("decision", "approve"), ("otp", "123456"),
            ("card_number", "4111111111111111"), ("expiry", "12/40"), ("cvv", "123"));

        Assert.NotEqual(HttpStatusCode.InternalServerError, step.StatusCode);
        Assert.Equal("PENDING", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM payment_attempts"));
    }

    [SkippableFact]
    public async Task PageState_FollowsPaymentAndExpiry()
    {
        var invoice = Seed.NewInvoice();
        var paid = await Server.CreateAsync();
        var expiring = await Server.CreateAsync($$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}"},"payment":{"payment_due_date":1}}""");
        using var pay = await Server.SimulateAsync(paid.Invoice, "QRIS");

        var paidState = await Server.Http.GetStringAsync($"/checkout-link-v2/{paid.Token}/state");
        var pendingState = await Server.Http.GetStringAsync($"/checkout-link-v2/{expiring.Token}/state");
        Server.Clock.Advance(TimeSpan.FromMinutes(2));
        var expiredState = await Server.Http.GetStringAsync($"/checkout-link-v2/{expiring.Token}/state");
        using var unknown = await Server.Http.GetAsync("/checkout-link-v2/nope/state");

        Assert.Equal("""{"status":"SUCCESS","order_status":"ORDER_GENERATED"}""", paidState);
        Assert.Equal("""{"status":"PENDING","order_status":"ORDER_GENERATED"}""", pendingState);
        Assert.Equal("""{"status":"EXPIRED","order_status":"ORDER_EXPIRED"}""", expiredState);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [SkippableFact]
    public async Task CheckoutScript_IsServed_WithLoadJokulCheckout()
    {
        var script = await Server.Http.GetStringAsync("/jokul-checkout-js/v1/jokul-checkout-1.0.0.js");

        Assert.Contains("global.loadJokulCheckout = loadJokulCheckout", script, StringComparison.Ordinal);
    }
}

public sealed class PaymentApiTests_Sqlite : PaymentApiTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class PaymentApiTests_Postgres : PaymentApiTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}

public abstract class SandboxDisabledTests : ServerTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Lunas:Sandbox:Enabled"] = "false" };

    [SkippableFact]
    public async Task Simulator_IsAbsent_WhenSandboxDisabled()
    {
        var order = await Server.CreateAsync();

        using var response = await Server.SimulateAsync(order.Invoice, "VIRTUAL_ACCOUNT_BCA");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

public sealed class SandboxDisabledTests_Sqlite : SandboxDisabledTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class SandboxDisabledTests_Postgres : SandboxDisabledTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}

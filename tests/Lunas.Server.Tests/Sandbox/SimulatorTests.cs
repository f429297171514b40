using System.Net;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.Sandbox;

/// <summary>The sandbox simulator API: <c>/sandbox/v1/…</c> pays orders as a bank, store, wallet or 3-D Secure issuer would.</summary>
public abstract class SimulatorTests : ServerTest
{
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
    public async Task Card_Authorize_IsPendingWithAuthorizeType_UntilCaptured()
    {
        var invoice = Seed.NewInvoice();
        var order = await Server.CreateAsync($$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}"},"payment":{"type":"AUTHORIZE"}}""");

        using var response = await Server.SimulateAsync(order.Invoice, "CREDIT_CARD");

        var status = await Json.ReadAsync(response);
        Assert.Equal("PENDING", status.TransactionStatus());
        Assert.Equal("AUTHORIZE", status.GetProperty("transaction").GetProperty("type").GetString());
        Assert.Matches("^[0-9]{17}$", status.GetProperty("card_payment").GetProperty("authorize_id").GetString());
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
}

public sealed class SimulatorTests_Sqlite : SimulatorTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class SimulatorTests_Postgres : SimulatorTests
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

    [SkippableFact]
    public async Task TestControls_AreAbsent_WhenSandboxDisabled()
    {
        var order = await Server.CreateAsync();

        using var clock = await Server.GetSignedAsync("/sandbox/v1/clock");
        using var advance = await Server.PostSignedAsync("/sandbox/v1/clock", """{"advance_seconds":60}""");
        using var reset = await Server.DeleteSignedAsync("/sandbox/v1/data");

        Assert.Equal(HttpStatusCode.NotFound, clock.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, advance.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, reset.StatusCode);
        Assert.Equal("PENDING", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
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

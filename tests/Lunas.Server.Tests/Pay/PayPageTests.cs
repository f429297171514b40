using System.Net;
using Lunas.Server.Storage;
using Lunas.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Lunas.Server.Tests.Pay;

/// <summary>The hosted payment page: its form posts (choose, card, otp, approve), its state endpoint and its script.</summary>
public abstract class PayPageTests : ServerTest
{
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
    public async Task VirtualAccount_ConcurrentChoices_LeaveOneNumberForTheOrder()
    {
        var order = await Server.CreateAsync();

        // On PostgreSQL several writers run at once: each choice's check for a pending attempt ran before the other's
        // insert was committed, and each inserted its own number.
        var choices = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Server.SubmitAsync(order, "choose", ("channel", "VIRTUAL_ACCOUNT_BCA"))));

        Assert.All(choices, choice => Assert.Equal(HttpStatusCode.Redirect, choice.StatusCode));
        foreach (var choice in choices) choice.Dispose();
        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM payment_attempts WHERE status = 'PENDING'"));
        var number = await Server.ChooseCodeAsync(order, "VIRTUAL_ACCOUNT_BCA");
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM payment_attempts WHERE pay_code = '{number}' AND status = 'PENDING'"));
    }

    [SkippableFact]
    public async Task VirtualAccount_ChoiceWaitsForAConcurrentChoice_AndTakesItsNumber()
    {
        var order = await Server.CreateAsync();
        // Another writer's choice of the channel, inserted and not yet committed: invisible to this choice's check. On
        // PostgreSQL the unique index on pending attempts makes the choice wait for it; on SQLite the other transaction
        // holds the one write lock, so the writer waits before it starts.
        var database = Server.Services.GetRequiredService<Database>();
        await using var other = await database.OpenAsync(CancellationToken.None);
        await using var transaction = await other.BeginTransactionAsync();
        await using (var insert = other.Command($$"""
            INSERT INTO payment_attempts (attempt_id, session_id, channel, status, pay_code, details, created_at, completed_at)
            SELECT 'concurrent-choice', session_id, 'VIRTUAL_ACCOUNT_BCA', 'PENDING', '1900877777777777', '{}', created_at, NULL
            FROM checkout_sessions WHERE invoice_number = '{{order.Invoice}}'
            """, transaction))
        {
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        }

        var choice = Server.SubmitAsync(order, "choose", ("channel", "VIRTUAL_ACCOUNT_BCA"));
        // It waits for the other transaction instead of inserting a number of its own.
        Assert.NotSame(choice, await Task.WhenAny(choice, Task.Delay(TimeSpan.FromMilliseconds(500))));
        await transaction.CommitAsync();
        using (var chosen = await choice.WaitAsync(TimeSpan.FromSeconds(10)))
        {
            Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        }

        Assert.Equal("1900877777777777", await Server.ChooseCodeAsync(order, "VIRTUAL_ACCOUNT_BCA"));
        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM payment_attempts"));
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

public sealed class PayPageTests_Sqlite : PayPageTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class PayPageTests_Postgres : PayPageTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}

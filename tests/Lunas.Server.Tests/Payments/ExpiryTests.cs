using System.Net;
using Lunas.Server.Payments;
using Lunas.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Lunas.Server.Tests.Payments;

/// <summary>Due orders expiring, on read and by the sweep, and what a late payment then meets.</summary>
public abstract class ExpiryTests : ServerTest
{
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
}

public sealed class ExpiryTests_Sqlite : ExpiryTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class ExpiryTests_Postgres : ExpiryTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}

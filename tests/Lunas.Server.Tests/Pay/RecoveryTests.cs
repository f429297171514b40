using System.Net;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.Pay;

/// <summary>The page's recover form post, which reopens an expired order when recover_abandoned_cart allows it.</summary>
public abstract class RecoveryTests : ServerTest
{
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
}

public sealed class RecoveryTests_Sqlite : RecoveryTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class RecoveryTests_Postgres : RecoveryTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}

using System.Net;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.PostPayment;

public abstract class CancelOrderTests : PostPaymentTest
{
    [SkippableFact]
    public async Task Cancel_CancelsTheOrder_WhenNoChannelIsChosen()
    {
        var order = await Server.CreateAsync();

        using var response = await CancelAsync(order.Invoice);

        var body = await OkAsync(response);
        Assert.Equal("ORDER_CANCELLED", Str(body, "order.status"));
        Assert.Equal(order.RequestId, Str(body, "payment.original_request_id"));
        Assert.Equal("SUCCESS", Str(body, "cancellation.status"));
        Assert.Equal("changed my mind", Str(body, "note"));
        var status = await Server.StatusAsync(order.Invoice);
        Assert.Equal("ORDER_CANCELLED", Str(status, "order.status"));
        Assert.Equal("EXPIRED", status.TransactionStatus());
    }

    [SkippableFact]
    public async Task Cancel_MakesThePageSayCancelled_AndTheSimulatorRefuse()
    {
        var order = await Server.CreateAsync();
        var number = await Server.ChooseCodeAsync(order, "VIRTUAL_ACCOUNT_BCA");

        using var cancelled = await CancelAsync(order.Invoice, order.RequestId);
        await OkAsync(cancelled);

        using var pay = await Server.PayVaAsync(number);
        Assert.Equal(HttpStatusCode.Conflict, pay.StatusCode);
        using var simulate = await Server.SimulateAsync(order.Invoice, "QRIS");
        Assert.Equal(HttpStatusCode.Conflict, simulate.StatusCode);
        Assert.Contains("This order was cancelled by the merchant", await Server.Http.GetStringAsync(new Uri(order.Url).PathAndQuery));
        Server.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM notifications"));
        Assert.Equal("ORDER_CANCELLED", Str(await Server.StatusAsync(order.Invoice), "order.status"));
    }

    [SkippableFact]
    public async Task Cancel_Answers200WithTheSameBody_WhenCancelledAgain()
    {
        var order = await Server.CreateAsync();
        using var first = await CancelAsync(order.Invoice);
        var original = await first.Content.ReadAsStringAsync();
        Server.Clock.Advance(TimeSpan.FromSeconds(5));

        using var again = await CancelAsync(order.Invoice);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(original, await again.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task Cancel_Returns409WithTheOriginalBody_WhenTheRequestIdRepeats()
    {
        var order = await Server.CreateAsync();
        var requestId = Guid.NewGuid().ToString();
        using var first = await CancelAsync(order.Invoice, requestId: requestId);

        using var replay = await CancelAsync(order.Invoice, requestId: requestId);
        using var other = await CancelAsync(order.Invoice, order.RequestId, requestId);

        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        await ErrorAsync(other, HttpStatusCode.Conflict, "DUPLICATE_REQUEST");
    }

    [SkippableFact]
    public async Task Cancel_Returns400OrderAlreadyPaid_WhenPaid()
    {
        var order = await PaidAsync("VIRTUAL_ACCOUNT_BCA");

        using var response = await CancelAsync(order.Invoice);

        await ErrorAsync(response, HttpStatusCode.BadRequest, "ORDER_ALREADY_PAID");
        Assert.Equal("SUCCESS", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task Cancel_Returns400OrderExpired_WhenExpired()
    {
        var order = await Server.CreateAsync();
        Server.Clock.Advance(TimeSpan.FromDays(2));

        using var response = await CancelAsync(order.Invoice);

        await ErrorAsync(response, HttpStatusCode.BadRequest, "ORDER_EXPIRED");
    }

    [SkippableTheory]
    [InlineData("VIRTUAL_ACCOUNT_BTN")]
    [InlineData("VIRTUAL_ACCOUNT_BNC")]
    public async Task Cancel_Returns400ChannelNotSupported_WhenTheChannelCannotBeCancelled(string channel)
    {
        var order = await Server.CreateAsync();
        await Server.ChooseCodeAsync(order, channel);

        using var response = await CancelAsync(order.Invoice);

        await ErrorAsync(response, HttpStatusCode.BadRequest, "CHANNEL_NOT_SUPPORTED");
        Assert.Equal("PENDING", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task Cancel_CancelsAConvenienceStoreOrder_ByDefault()
    {
        var order = await Server.CreateAsync();
        await Server.ChooseCodeAsync(order, "ONLINE_TO_OFFLINE_ALFA");

        using var response = await CancelAsync(order.Invoice);

        await OkAsync(response);
    }

    [SkippableFact]
    public async Task Cancel_Returns404_WhenTheInvoiceOrRequestIdIsUnknown()
    {
        var order = await Server.CreateAsync();

        using var unknown = await CancelAsync(Seed.NewInvoice());
        using var mismatch = await CancelAsync(order.Invoice, Guid.NewGuid().ToString());

        await ErrorAsync(unknown, HttpStatusCode.NotFound, "NOT_FOUND");
        await ErrorAsync(mismatch, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [SkippableFact]
    public async Task Cancel_Returns400NamingTheField_WhenTheInvoiceIsMissing()
    {
        using var response = await Server.PostSignedAsync("/checkout/v3/cancellations", """{"order":{}}""");

        var body = await ErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_PARAMETER");
        Assert.Contains("order.invoice_number", Str(body, "error.message"), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Cancel_Returns401_WhenTheSignatureIsWrong()
    {
        var order = await Server.CreateAsync();

        using var response = await Server.PostSignedAsync("/checkout/v3/cancellations",
            $$"""{"order":{"invoice_number":"{{order.Invoice}}"} }""", secretKey: "SK-WRONG");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

public abstract class CancelOrderDisabledTests : PostPaymentTest
{
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Lunas:Merchants:0:CancelOrderEnabled"] = "false",
        ["Lunas:Merchants:0:CancelConvenienceStore"] = "false",
    };

    [SkippableFact]
    public async Task Cancel_ReturnsDokusActivationError_WhenCancelOrderIsOff()
    {
        var order = await Server.CreateAsync();

        using var response = await CancelAsync(order.Invoice);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("""{"error":{"message":"Merchant not support cancel order, please do activation through DOKU dashboard."}}""",
            await response.Content.ReadAsStringAsync());
        Assert.Equal("PENDING", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }
}

public sealed class CancelOrderTests_Sqlite : CancelOrderTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class CancelOrderTests_Postgres : CancelOrderTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}

public sealed class CancelOrderDisabledTests_Sqlite : CancelOrderDisabledTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class CancelOrderDisabledTests_Postgres : CancelOrderDisabledTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}

using System.Net;
using System.Text.Json;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.PostPayment;

public abstract class WalletRefundTests : PostPaymentTest
{
    private static string Identifiers(JsonElement block)
        => block.GetProperty("identifier").GetRawText();

    [SkippableFact]
    public async Task ShopeePayRefund_RefundsInFull_MatchedOnTheNotifiedIdentifiers()
    {
        var order = await PaidAsync("EMONEY_SHOPEE_PAY");
        var paid = Assert.Single(await NotificationsAsync(order.Invoice, "SUCCESS", 1));
        var identifiers = Identifiers(paid.GetProperty("shopeepay_payment"));
        var body = $$"""{"order":{"invoice_number":"{{order.Invoice}}"},"shopeepay_payment":{"identifier":{{identifiers}} } }""";

        using var response = await Server.PostSignedAsync("/shopeepay-emoney/v2/refund", body);
        using var again = await Server.PostSignedAsync("/shopeepay-emoney/v2/refund", body);

        var refund = await OkAsync(response);
        Assert.Equal("FULL_REFUND", Str(refund, "refund.type"));
        Assert.Equal("20000", Str(refund, "refund.amount"));
        await ErrorAsync(again, HttpStatusCode.BadRequest, "INVALID_STATE");
        Assert.Equal("REFUNDED", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
        Assert.Single(await NotificationsAsync(order.Invoice, "REFUNDED", 1));
    }

    [SkippableFact]
    public async Task ShopeePayRefund_Returns404_WhenTheIdentifiersDoNotMatch()
    {
        var order = await PaidAsync("EMONEY_SHOPEE_PAY");

        using var response = await Server.PostSignedAsync("/shopeepay-emoney/v2/refund",
            $$"""{"order":{"invoice_number":"{{order.Invoice}}"},"shopeepay_payment":{"identifier":[{"name":"PAYMENT_REFERENCE_ID","value":"REF-X"},{"name":"TRANSACTION_SN","value":"1"}]} }""");

        await ErrorAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal("SUCCESS", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task AkulakuRefund_RefundsInFull_MatchedOnTheNotifiedIdentifiers()
    {
        var invoice = Seed.NewInvoice();
        var order = await Server.CreateAsync(Seed.FullRequest(invoice));
        using (var paid = await Server.SimulateAsync(order.Invoice, "PEER_TO_PEER_AKULAKU"))
        {
            Assert.True(paid.StatusCode == HttpStatusCode.OK, await paid.Content.ReadAsStringAsync());
        }
        // The full sample overrides the notification URL: the same envelope is read from the status API.
        var info = (await Server.StatusAsync(order.Invoice)).GetProperty("peer_to_peer_info");
        var body = $$"""{"order":{"invoice_number":"{{order.Invoice}}"},"payment":{"merchant_unique_reference":"{{Str(info, "merchant_unique_reference")}}","identifier":{{Identifiers(info)}} },"refund":{"merchant_unique_reference":"R-1"} }""";

        using var response = await Server.PostSignedAsync("/akulaku-peer-to-peer/v2/refund", body);
        using var wrong = await Server.PostSignedAsync("/akulaku-peer-to-peer/v2/refund", body.Replace("\"ORDER_ID\",\"value\":\"", "\"ORDER_ID\",\"value\":\"9", StringComparison.Ordinal));

        Assert.Equal("FULL_REFUND", Str(await OkAsync(response), "refund.type"));
        await ErrorAsync(wrong, HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal("REFUNDED", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM notifications WHERE invoice_number = '{order.Invoice}' AND event = 'REFUNDED'"));
    }
}

public sealed class WalletRefundTests_Sqlite : WalletRefundTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class WalletRefundTests_Postgres : WalletRefundTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}

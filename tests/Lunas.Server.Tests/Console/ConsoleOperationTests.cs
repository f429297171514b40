using System.Net;
using System.Text.RegularExpressions;
using Lunas.Server.Storage;
using Lunas.Server.Tests.Infrastructure;
using Lunas.Server.Tests.PostPayment;

namespace Lunas.Server.Tests.Console;

/// <summary>Cancel, capture, void and refund from the console's order page, through the same operations as the API.</summary>
public abstract partial class ConsoleOperationTests : PostPaymentTest
{
    [SkippableFact]
    public async Task CancelAction_MakesTheStatusApiAnswerOrderCancelled()
    {
        var order = await Server.CreateAsync();
        var (console, sessionId) = await OpenAsync(order.Invoice);

        using var cancel = await ActAsync(console, sessionId, "cancel");

        Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
        Assert.Equal("ORDER_CANCELLED", Str(await Server.StatusAsync(order.Invoice), "order.status"));
        Assert.Contains("CANCEL", await PageAsync(console, sessionId), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task CaptureAction_MakesTheHoldSuccessCapture()
    {
        var (order, _) = await AuthorizedAsync();
        var (console, sessionId) = await OpenAsync(order.Invoice);
        Assert.Contains("value=\"capture\"", await PageAsync(console, sessionId), StringComparison.Ordinal);

        using var capture = await ActAsync(console, sessionId, "capture", ("amount", "15000"));

        var status = await Server.StatusAsync(order.Invoice);
        Assert.Equal(HttpStatusCode.Redirect, capture.StatusCode);
        Assert.Equal("SUCCESS", status.TransactionStatus());
        Assert.Equal("CAPTURE", Str(status, "transaction.type"));
    }

    [SkippableFact]
    public async Task RefundAction_MakesTheOrderRefunded_AndNotifiesTheReceiver()
    {
        var order = await PaidAsync("CREDIT_CARD");
        Settle();
        var (console, sessionId) = await OpenAsync(order.Invoice);
        var amount = Str(await Server.StatusAsync(order.Invoice), "order.amount");

        using var refund = await ActAsync(console, sessionId, "refund", ("amount", amount));

        Assert.Equal(HttpStatusCode.Redirect, refund.StatusCode);
        Assert.Equal("REFUNDED", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
        Assert.Single(await NotificationsAsync(order.Invoice, "REFUNDED", 1));
    }

    [SkippableFact]
    public async Task RefundForm_RefundsOnce_WhenSubmittedTwice()
    {
        var order = await PaidAsync("CREDIT_CARD");
        Settle();
        var (console, sessionId) = await OpenAsync(order.Invoice);
        var html = await PageAsync(console, sessionId);
        var requestId = RequestIdPattern().Match(html).Groups[1].Value;
        var token = await console.TokenAsync("/console/orders/" + sessionId);

        using var first = await console.PostAsync($"/console/orders/{sessionId}/actions", token, ("action", "refund"), ("amount", "1000"), ("request_id", requestId));
        using var second = await console.PostAsync($"/console/orders/{sessionId}/actions", token, ("action", "refund"), ("amount", "1000"), ("request_id", requestId));

        Assert.False(string.IsNullOrEmpty(requestId));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(1000, await Server.CountAsync($"SELECT refunded_amount FROM checkout_sessions WHERE session_id = '{sessionId}'"));
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM payment_operations WHERE session_id = '{sessionId}'"));
    }

    [SkippableFact]
    public async Task RefundAction_IsNotOfferedAndIsRefused_WhenTheOrderIsUnpaid()
    {
        var order = await Server.CreateAsync();
        var (console, sessionId) = await OpenAsync(order.Invoice);

        var html = await PageAsync(console, sessionId);
        using var refund = await ActAsync(console, sessionId, "refund", ("amount", "1000"));

        Assert.DoesNotContain("value=\"refund\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"capture\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, refund.StatusCode);
        Assert.Contains("refund is not allowed", await refund.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("PENDING", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
        Assert.Equal(0, await Server.CountAsync($"SELECT COUNT(*) FROM payment_operations WHERE session_id = '{sessionId}'"));
    }

    private async Task<(ConsoleClient Console, string SessionId)> OpenAsync(string invoice)
    {
        var console = new ConsoleClient(Server);
        await console.SignInOkAsync();
        var database = (Database)Server.Services.GetService(typeof(Database))!;
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = connection.Command("SELECT session_id FROM checkout_sessions WHERE invoice_number = @inv").With("@inv", invoice);
        return (console, (string)(await command.ExecuteScalarAsync())!);
    }

    private static async Task<string> PageAsync(ConsoleClient console, string sessionId)
        => await (await console.GetAsync("/console/orders/" + sessionId)).Content.ReadAsStringAsync();

    private static async Task<HttpResponseMessage> ActAsync(ConsoleClient console, string sessionId, string action, params (string, string)[] fields)
    {
        var token = await console.TokenAsync("/console/orders/" + sessionId);
        return await console.PostAsync($"/console/orders/{sessionId}/actions", token,
            [("action", action), ("request_id", Guid.NewGuid().ToString()), .. fields]);
    }

    [GeneratedRegex("name=\"request_id\" value=\"([^\"]+)\"")]
    private static partial Regex RequestIdPattern();
}

public sealed class ConsoleOperationTests_Sqlite : ConsoleOperationTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class ConsoleOperationTests_Postgres : ConsoleOperationTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}

using System.Net;
using Lunas.Server.Storage;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.Console;

/// <summary>The console's access rules over HTTP: sessions, merchant isolation, antiforgery, the sign-in rate limit.</summary>
public abstract class ConsoleTests : ServerTest
{
    private const string OtherClientId = "MCH-0002-20000000000000";
    private const string OtherSecretKey = "SK-OTHERKEY-0987654321";

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Lunas:Merchants:1:ClientId"] = OtherClientId,
        ["Lunas:Merchants:1:SecretKey"] = OtherSecretKey,
        ["Lunas:Merchants:1:Name"] = "Toko Lain",
        ["Lunas:Console:OperatorPassword"] = ConsoleClient.OperatorPassword,
        ["Lunas:Console:SignInPermitsPerMinute"] = "5",
    };

    [SkippableFact]
    public async Task Console_RedirectsToSignIn_WhenThereIsNoSession()
    {
        using var console = new ConsoleClient(Server);

        using var orders = await console.GetAsync("/console/orders");
        using var root = await console.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, orders.StatusCode);
        Assert.StartsWith("/console/sign-in", orders.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal("/console", root.Headers.Location!.OriginalString);
    }

    [SkippableFact]
    public async Task SignIn_GivesAStrictHttpOnlySession_WhenTheSecretKeyIsRight()
    {
        using var console = new ConsoleClient(Server);

        using var signIn = await console.SignInAsync(TestServer.ClientId, TestServer.SecretKey);
        using var orders = await console.GetAsync("/console/orders");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("lunas.console=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, orders.StatusCode);
        Assert.Contains("script-src 'none'", orders.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task SignIn_Returns401_WhenTheSecretKeyIsWrong()
    {
        using var console = new ConsoleClient(Server);

        using var signIn = await console.SignInAsync(TestServer.ClientId, "SK-WRONG");
        using var orders = await console.GetAsync("/console/orders");

        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, orders.StatusCode);
    }

    [SkippableFact]
    public async Task OrderPage_ShowsTheCreateAnswer_WrittenAgainFromWhatWasStored()
    {
        using var created = await Server.CreatePaymentAsync(Seed.BasicRequest(Seed.NewInvoice()));
        var answer = await Json.ReadAsync(created);
        var sessionId = answer.GetProperty("response").GetProperty("order").GetProperty("session_id").GetString()!;
        var uuid = answer.GetProperty("response").GetProperty("uuid").GetRawText();
        using var console = new ConsoleClient(Server);
        await console.SignInOkAsync();

        var page = await (await console.GetAsync("/console/orders/" + sessionId)).Content.ReadAsStringAsync();

        // The answer is not stored whole (migration 016): the page shows it written again, every field as answered.
        Assert.Contains(uuid, page, StringComparison.Ordinal);
        Assert.Contains("mid-jokul-checkout-system", page, StringComparison.Ordinal);
        var payment = answer.GetProperty("response").GetProperty("payment");
        foreach (var field in new[] { "expired_date", "url", "token_id" })
        {
            Assert.Contains(payment.GetProperty(field).GetString()!, page, StringComparison.Ordinal);
        }
        var headers = answer.GetProperty("response").GetProperty("headers");
        foreach (var field in new[] { "date", "request_id", "client_id" })
        {
            Assert.Contains(headers.GetProperty(field).GetString()!, page, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task OrderPage_Returns404_WhenTheOrderIsAnotherMerchants()
    {
        var order = await Server.CreateAsync();
        var sessionId = await SessionIdAsync(order.Invoice);
        using var other = new ConsoleClient(Server);
        await other.SignInOkAsync(OtherClientId, OtherSecretKey);
        using var owner = new ConsoleClient(Server);
        await owner.SignInOkAsync();

        using var foreign = await other.GetAsync("/console/orders/" + sessionId);
        using var own = await owner.GetAsync("/console/orders/" + sessionId);
        var list = await (await other.GetAsync("/console/orders")).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains(order.Invoice, await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(order.Invoice, list, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Operator_SeesTheOrdersOfEveryMerchant()
    {
        var mine = await Server.CreateAsync();
        using (var response = await Server.PostSignedAsync("/checkout/v1/payment", Seed.BasicRequest(), clientId: OtherClientId, secretKey: OtherSecretKey))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        using var console = new ConsoleClient(Server);
        await console.SignInOkAsync("operator", ConsoleClient.OperatorPassword);

        var html = await (await console.GetAsync("/console/orders")).Content.ReadAsStringAsync();

        Assert.Contains(mine.Invoice, html, StringComparison.Ordinal);
        Assert.Contains(OtherClientId, html, StringComparison.Ordinal);
        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM operators WHERE password_hash NOT LIKE '%" + ConsoleClient.OperatorPassword + "%'"));
    }

    [SkippableFact]
    public async Task Forms_Return400AndChangeNothing_WhenTheAntiforgeryTokenIsMissing()
    {
        var order = await Server.CreateAsync();
        var sessionId = await SessionIdAsync(order.Invoice);
        using var console = new ConsoleClient(Server);
        await console.SignInOkAsync();

        using var signIn = await console.PostAsync("/console/sign-in", null, ("client_id", TestServer.ClientId), ("secret", TestServer.SecretKey));
        using var pay = await console.PostAsync($"/console/orders/{sessionId}/actions", null, ("action", "pay"), ("channel", "VIRTUAL_ACCOUNT_BCA"));

        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, pay.StatusCode);
        Assert.Equal("PENDING", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task SignIn_Returns429_WhenAttemptsExceedTheLimit()
    {
        using var console = new ConsoleClient(Server);
        var codes = new List<HttpStatusCode>();

        for (var i = 0; i < 7; i++)
        {
            using var response = await console.SignInAsync(TestServer.ClientId, "SK-WRONG-" + i);
            codes.Add(response.StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), codes.Take(5));
        Assert.Equal(HttpStatusCode.TooManyRequests, codes[6]);
    }

    [SkippableFact]
    public async Task PayAction_MakesTheStatusApiAnswerSuccess_AndQueuesTheNotification()
    {
        var order = await Server.CreateAsync();
        var sessionId = await SessionIdAsync(order.Invoice);
        using var console = new ConsoleClient(Server);
        await console.SignInOkAsync();
        var token = await console.TokenAsync("/console/orders/" + sessionId);

        using var pay = await console.PostAsync($"/console/orders/{sessionId}/actions", token, ("action", "pay"), ("channel", "VIRTUAL_ACCOUNT_BCA"));
        using var again = await console.PostAsync($"/console/orders/{sessionId}/actions", token, ("action", "expire"));

        Assert.Equal(HttpStatusCode.Redirect, pay.StatusCode);
        Assert.Equal("SUCCESS", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM notifications WHERE invoice_number = '{order.Invoice}' AND event = 'SUCCESS'"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already paid", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ExpireSimulator_ExpiresTheOrderNow_AndRefusesAPaidOne()
    {
        var order = await Server.CreateAsync();
        var paid = await Server.CreateAsync();
        (await Server.SimulateAsync(paid.Invoice, "VIRTUAL_ACCOUNT_BCA")).Dispose();

        using var expire = await Server.PostSignedAsync("/sandbox/v1/expirations", $"{{\"invoice_number\":\"{order.Invoice}\"}}");
        using var refused = await Server.PostSignedAsync("/sandbox/v1/expirations", $"{{\"invoice_number\":\"{paid.Invoice}\"}}");

        Assert.Equal(HttpStatusCode.OK, expire.StatusCode);
        Assert.Equal("EXPIRED", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
    }

    [SkippableFact]
    public async Task RotateKey_AcceptsBothKeysUntilTheWindowEnds_ThenOnlyTheNewOne()
    {
        using var console = new ConsoleClient(Server);
        await console.SignInOkAsync();
        var token = await console.TokenAsync("/console/settings");

        using var rotate = await console.PostAsync("/console/settings/rotate-key", token, ("overlap_hours", "1"));
        var html = await rotate.Content.ReadAsStringAsync();
        var newKey = System.Text.RegularExpressions.Regex.Match(html, "id=\"new-key\">([^<]+)<").Groups[1].Value;

        Assert.StartsWith("SK-", newKey, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await StatusCodeAsync(TestServer.SecretKey));
        Assert.Equal(HttpStatusCode.OK, await StatusCodeAsync(newKey));
        Server.Clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusCodeAsync(TestServer.SecretKey));
        Assert.Equal(HttpStatusCode.OK, await StatusCodeAsync(newKey));
    }

    private async Task<HttpStatusCode> StatusCodeAsync(string secretKey)
    {
        using var response = await Server.PostSignedAsync("/checkout/v1/payment", Seed.BasicRequest(), secretKey: secretKey);
        return response.StatusCode;
    }

    private async Task<string> SessionIdAsync(string invoice)
    {
        var database = Server.Services.GetService(typeof(Lunas.Server.Storage.Database)) as Lunas.Server.Storage.Database;
        await using var connection = await database!.OpenAsync(CancellationToken.None);
        await using var command = connection.Command("SELECT session_id FROM checkout_sessions WHERE invoice_number = @inv").With("@inv", invoice);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}

public sealed class ConsoleTests_Sqlite : ConsoleTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class ConsoleTests_Postgres : ConsoleTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}

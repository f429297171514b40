using System.Net;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.Checkout;

public abstract class IdempotencyTests : ServerTest
{
    [SkippableFact]
    public async Task CreatePayment_Returns409WithOriginalBody_WhenRequestIdAndBodyRepeat()
    {
        await AssertReplaysTheOriginalAsync(Seed.BasicRequest(Seed.NewInvoice()));

        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM checkout_sessions"));
    }

    [SkippableFact]
    public async Task CreatePayment_Replays409WithTheOriginalBodyByteForByte_ForARequestWithEveryBlock()
    {
        await AssertReplaysTheOriginalAsync(Seed.FullRequest(Seed.NewInvoice()));

        // What is stored is what the answer is written again from, not the answer (migration 016).
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM checkout_sessions WHERE response_body <> ''"));
    }

    [SkippableFact]
    public async Task CreatePayment_Replays409WithTheOriginalBody_AfterTheSessionWasExpiredEarly()
    {
        var invoice = Seed.NewInvoice();

        // Expiring now moves the session's expires_at; the answer replayed is still the one given (its expired_date).
        await AssertReplaysTheOriginalAsync(Seed.BasicRequest(invoice), async () =>
        {
            using var expire = await Server.PostSignedAsync("/sandbox/v1/expirations", $$"""{"invoice_number":"{{invoice}}"}""");
            Assert.Equal(HttpStatusCode.OK, expire.StatusCode);
        });
    }

    /// <summary>Creates with <paramref name="body"/>, runs <paramref name="between"/>, sends the same request again: a 409
    /// whose body is the first answer, byte for byte.</summary>
    private async Task AssertReplaysTheOriginalAsync(string body, Func<Task>? between = null)
    {
        var requestId = Guid.NewGuid().ToString();
        using var first = await Server.CreatePaymentAsync(body, requestId);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var original = await first.Content.ReadAsByteArrayAsync();
        if (between is not null) await between();

        using var replay = await Server.CreatePaymentAsync(body, requestId);

        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        Assert.Equal(original, await replay.Content.ReadAsByteArrayAsync());
    }

    [SkippableFact]
    public async Task CreatePayment_ReplaysTheStoredBody_ForASessionStoredWithItsWholeAnswer()
    {
        var requestId = Guid.NewGuid().ToString();
        var body = Seed.BasicRequest(Seed.NewInvoice());
        using var first = await Server.CreatePaymentAsync(body, requestId);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        // As a Lunas before migration 016 stored it: the answer whole, none of the parts it is written from.
        await Server.ExecuteAsync("""
            UPDATE checkout_sessions SET response_body = '{"stored":"before 016"}', uuid = NULL, payment_url = NULL,
                request_signature = NULL, request_timestamp = NULL
            """);

        using var replay = await Server.CreatePaymentAsync(body, requestId);

        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        Assert.Equal("""{"stored":"before 016"}""", await replay.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task CreatePayment_Returns409WithErrorAndChangesNothing_WhenRequestIdRepeatsWithOtherBody()
    {
        var requestId = Guid.NewGuid().ToString();
        var invoice = Seed.NewInvoice();
        using var first = await Server.CreatePaymentAsync(Seed.BasicRequest(invoice), requestId);
        var original = await first.Content.ReadAsStringAsync();

        using var other = await Server.CreatePaymentAsync(Seed.BasicRequest(invoice).Replace("20000", "30000", StringComparison.Ordinal), requestId);

        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Contains(Json.Errors(await Json.ReadAsync(other)), e => e.Contains("already used with a different body", StringComparison.Ordinal));
        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM checkout_sessions"));
        Assert.Equal(20000, await Server.CountAsync("SELECT amount FROM checkout_sessions"));
        using var replay = await Server.CreatePaymentAsync(Seed.BasicRequest(invoice), requestId);
        Assert.Equal(original, await replay.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task CreatePayment_Returns409NotValidationErrors_WhenUsedRequestIdComesWithAnInvalidBody()
    {
        // The Request-Id is checked before the body: a reused one is a 409 whatever the new body holds.
        var requestId = Guid.NewGuid().ToString();
        var invoice = Seed.NewInvoice();
        using var first = await Server.CreatePaymentAsync(Seed.BasicRequest(invoice), requestId);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var invalid = await Server.CreatePaymentAsync($$$"""{"order":{"amount":-5,"invoice_number":"{{{invoice}}}"}}""", requestId);
        using var malformed = await Server.CreatePaymentAsync("{\"order\":", requestId);

        foreach (var response in new[] { invalid, malformed })
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains(Json.Errors(await Json.ReadAsync(response)), e => e.Contains("already used with a different body", StringComparison.Ordinal));
        }
        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM checkout_sessions"));
    }

    [SkippableFact]
    public async Task CreatePayment_Returns400_WhenNewRequestIdComesWithAnInvalidBody()
    {
        using var response = await Server.CreatePaymentAsync("""{"order":{"amount":-5,"invoice_number":"INV-NEG"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("order.amount must greater than 0", Json.Errors(await Json.ReadAsync(response)));
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM checkout_sessions"));
    }

    [SkippableFact]
    public async Task CreatePayment_CreatesOneSession_ForConcurrentDuplicates()
    {
        var requestId = Guid.NewGuid().ToString();
        var body = Seed.BasicRequest(Seed.NewInvoice());

        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Server.CreatePaymentAsync(body, requestId)));

        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict));
        Assert.Single(bodies.Distinct());
        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM checkout_sessions"));
        foreach (var response in responses) response.Dispose();
    }

    [SkippableFact]
    public async Task CreatePayment_KeepsRequestIdsApart_PerMerchant()
    {
        await Server.ExecuteAsync("INSERT INTO merchants (client_id, secret_key, name, created_at) VALUES ('MCH-OTHER', 'SK-OTHER', 'Other', 0)");
        var requestId = Guid.NewGuid().ToString();

        using var a = await Server.CreatePaymentAsync(Seed.BasicRequest(Seed.NewInvoice()), requestId);
        using var b = await Server.PostSignedAsync("/checkout/v1/payment", Seed.BasicRequest(Seed.NewInvoice()), requestId,
            clientId: "MCH-OTHER", secretKey: "SK-OTHER");

        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
    }
}

public sealed class IdempotencyTests_Sqlite : IdempotencyTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class IdempotencyTests_Postgres : IdempotencyTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}

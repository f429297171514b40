using System.Net;
using Lunas.Server.Merchants;
using Lunas.Server.Security;
using Lunas.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Lunas.Server.Tests.Security;

/// <summary>A Request-Id is single-use per merchant on every signed POST: a replay is a 409 and is not acted on.</summary>
public abstract class ReplayTests : ServerTest
{
    private TestReceiver _receiver = null!;

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Lunas:Merchants:0:NotificationUrl"] = _receiver.BaseUrl + "/hook",
        ["Lunas:Notifications:PollInterval"] = "00:00:00.100",
    };

    public override async Task InitializeAsync()
    {
        _receiver = await TestReceiver.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private static async Task AssertReplayAsync(HttpResponseMessage response, string requestId)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal([$"Request-Id {requestId} was already used; send each request with a new Request-Id"],
            Json.Errors(await Json.ReadAsync(response)));
    }

    private static string Simulation(string invoice, string result)
        => $$"""{"invoice_number":"{{invoice}}","payment_method_type":"CREDIT_CARD","result":"{{result}}"}""";

    [SkippableFact]
    public async Task SandboxStep_Returns409AndIsNotActedOn_WhenItsRequestIdWasUsed()
    {
        var order = await Server.CreateAsync();
        var requestId = Guid.NewGuid().ToString();
        using (var failed = await Server.PostSignedAsync("/sandbox/v1/payments", Simulation(order.Invoice, "FAILED"), requestId))
        {
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }

        using var replay = await Server.PostSignedAsync("/sandbox/v1/payments", Simulation(order.Invoice, "SUCCESS"), requestId);

        await AssertReplayAsync(replay, requestId);
        Assert.Equal("FAILED", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task SandboxStep_Returns409_WhenTheRequestIdWasUsedByARefusedStep()
    {
        var order = await Server.CreateAsync();
        var requestId = Guid.NewGuid().ToString();
        using (var refused = await Server.PostSignedAsync("/sandbox/v1/payments", """{"invoice_number":"INV-NOPE"}""", requestId))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        using var replay = await Server.PostSignedAsync("/sandbox/v1/payments", Simulation(order.Invoice, "SUCCESS"), requestId);

        await AssertReplayAsync(replay, requestId);
        Assert.Equal("PENDING", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task SandboxStep_Returns409_WhenTheRequestIdWasUsedByACreatePayment()
    {
        var order = await Server.CreateAsync();

        using var replay = await Server.PostSignedAsync("/sandbox/v1/payments", Simulation(order.Invoice, "SUCCESS"), order.RequestId);

        await AssertReplayAsync(replay, order.RequestId);
        Assert.Equal("PENDING", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
        // On PostgreSQL the step ran in the round trip of its Request-Id's mark and was undone: nothing of it is left.
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM payment_attempts"));
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM notifications"));
    }

    [SkippableFact]
    public async Task SandboxVirtualAccountPayment_Returns409AndLeavesNothing_WhenTheRequestIdWasUsedByACreatePayment()
    {
        var order = await Server.CreateAsync();

        using var replay = await Server.PostSignedAsync("/sandbox/v1/payments",
            $$"""{"invoice_number":"{{order.Invoice}}","payment_method_type":"VIRTUAL_ACCOUNT_BCA","result":"SUCCESS"}""", order.RequestId);

        await AssertReplayAsync(replay, order.RequestId);
        Assert.Equal("PENDING", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM payment_attempts"));
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM notifications"));
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM used_request_ids"));
    }

    [SkippableFact]
    public async Task SandboxStep_IsAccepted_WhenAnotherMerchantUsedTheRequestId()
    {
        const string other = "MCH-0002-10791114622547";
        await Server.Services.GetRequiredService<MerchantStore>().UpsertAsync(
            new Merchant(other, "SK-OTHER-1234567890", "Other", null, null), CancellationToken.None);
        var order = await Server.CreateAsync();
        var requestId = Guid.NewGuid().ToString();
        using (var theirs = await Server.PostSignedAsync("/sandbox/v1/payments", Simulation("INV-THEIRS", "SUCCESS"), requestId,
                   clientId: other, secretKey: "SK-OTHER-1234567890"))
        {
            Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        }

        using var ours = await Server.PostSignedAsync("/sandbox/v1/payments", Simulation(order.Invoice, "SUCCESS"), requestId);

        Assert.Equal(HttpStatusCode.OK, ours.StatusCode);
    }

    [SkippableFact]
    public async Task Resend_Returns409AndSendsNothing_WhenItsRequestIdWasUsed()
    {
        var order = await Server.CreateAsync();
        using (var paid = await Server.SimulateAsync(order.Invoice, "VIRTUAL_ACCOUNT_BCA")) Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        await _receiver.WaitForAsync(1);
        using var log = await Server.GetSignedAsync($"/notifications/v1/invoices/{order.Invoice}");
        var id = (await Json.ReadAsync(log)).GetProperty("notifications")[0].GetProperty("notification_id").GetString();
        var requestId = Guid.NewGuid().ToString();
        using (var resend = await Server.PostSignedAsync($"/notifications/v1/{id}/resend", "{}", requestId))
        {
            Assert.Equal(HttpStatusCode.OK, resend.StatusCode);
        }

        using var replay = await Server.PostSignedAsync($"/notifications/v1/{id}/resend", "{}", requestId);

        await AssertReplayAsync(replay, requestId);
        Assert.Equal(2, _receiver.Requests.Count);
        Assert.Equal(2, await Server.CountAsync("SELECT COUNT(*) FROM notification_attempts"));
    }

    [SkippableFact]
    public async Task UsedRequestIds_ArePruned_OnceNoCopyCanPassTheTimestampCheck()
    {
        var order = await Server.CreateAsync();
        var requestId = Guid.NewGuid().ToString();
        using (var first = await Server.PostSignedAsync("/sandbox/v1/payments", Simulation(order.Invoice, "FAILED"), requestId))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        var guard = Server.Services.GetRequiredService<ReplayGuard>();
        Assert.True(guard.Retention >= TimeSpan.FromMinutes(10)); // twice the default tolerance of 5 minutes

        Server.Clock.Advance(guard.Retention - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await guard.PruneAsync(CancellationToken.None));
        Server.Clock.Advance(TimeSpan.FromSeconds(2));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await Server.CountAsync("SELECT COUNT(*) FROM used_request_ids") > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the used Request-Id was never pruned");
            Server.Clock.Advance(ReplayGuard.PruneInterval);
            await Task.Delay(50);
        }
    }

    [SkippableFact]
    public async Task CopiesSentTogether_AreActedOnOnce_TheMarkRidingOnTheStepsOwnWrite()
    {
        var order = await Server.CreateAsync();
        var requestId = Guid.NewGuid().ToString();
        var at = Server.Clock.GetUtcNow();
        var body = Simulation(order.Invoice, "FAILED");

        // Copies queued together land in one group-commit batch: the first write's mark refuses the others in it.
        var answers = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => Server.Http.SendAsync(SignedHttp.Request("/sandbox/v1/payments", body, requestId, at))));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.OK)) await AssertReplayAsync(refused, requestId);
        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM payment_attempts"));
        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM used_request_ids"));
        foreach (var answer in answers) answer.Dispose();
    }

    [SkippableFact]
    public async Task SandboxStep_Returns409_WhenTheRequestIdWasUsedByAStepTheOrdersStateRefused()
    {
        var order = await Server.CreateAsync();
        using (var paid = await Server.SimulateAsync(order.Invoice, "VIRTUAL_ACCOUNT_BCA")) Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        var requestId = Guid.NewGuid().ToString();
        using (var again = await Server.PostSignedAsync("/sandbox/v1/payments", Simulation(order.Invoice, "FAILED"), requestId))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.DoesNotContain("already used", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var replay = await Server.PostSignedAsync("/sandbox/v1/payments", Simulation(order.Invoice, "FAILED"), requestId);

        await AssertReplayAsync(replay, requestId);
        Assert.Equal("SUCCESS", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task TwoInstancesOnOneDatabase_ActOnARequestIdOnce()
    {
        await using var other = await TestServer.StartAsync(Database);
        var order = await Server.CreateAsync();
        var requestId = Guid.NewGuid().ToString();
        var at = Server.Clock.GetUtcNow();
        var body = Simulation(order.Invoice, "FAILED");

        var answers = await Task.WhenAll(
            Server.Http.SendAsync(SignedHttp.Request("/sandbox/v1/payments", body, requestId, at)),
            other.Http.SendAsync(SignedHttp.Request("/sandbox/v1/payments", body, requestId, at)));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM payment_attempts"));
        foreach (var answer in answers) answer.Dispose();
    }
}

public sealed class ReplayTests_Sqlite : ReplayTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class ReplayTests_Postgres : ReplayTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}

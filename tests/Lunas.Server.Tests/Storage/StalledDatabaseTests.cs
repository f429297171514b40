using System.Diagnostics;
using System.Net;
using Lunas.Protocol.Signing;
using Lunas.Server.Storage;
using Lunas.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Lunas.Server.Tests.Storage;

/// <summary>Create payment and sandbox steps over HTTP while the database fails transiently or stalls.</summary>
public abstract class StalledDatabaseTests : DatabaseTest
{
    private const string CreatePath = "/checkout/v1/payment";

    private WriteFaults _faults = null!;

    // One writer on both providers: a stalled write then holds every write queued behind it. No dispatcher: its lease
    // claims are writes too, and one queued while the writer is stalled would take a place the tests count on.
    private async Task<TestServer> StartAsync(string writeTimeout = "00:00:01", int maxQueued = 8192)
    {
        _faults = WriteFaults.For(Database);
        return await TestServer.StartAsync(Database, new Dictionary<string, string?>
        {
            ["Lunas:Database:Writers"] = "1",
            ["Lunas:Notifications:Enabled"] = "false",
            ["Lunas:Database:WriteTimeout"] = writeTimeout,
            ["Lunas:Database:MaxQueuedWrites"] = maxQueued.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, configure: builder => builder.Services.AddSingleton<IWriteFaultInjector>(_faults));
    }

    [SkippableFact]
    public async Task Writes_AreRetriedAndCommittedOnce_WhenTheDatabaseFailsTransiently()
    {
        await using var server = await StartAsync(writeTimeout: "00:00:30");
        var before = _faults.Executions;
        _faults.FailNext(2);
        var order = await server.CreateAsync();
        Assert.Equal(before + 3, _faults.Executions);

        _faults.FailNext(2);
        using var paid = await server.SimulateAsync(order.Invoice, "VIRTUAL_ACCOUNT_BCA");

        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        // Two failed tries, then the step's write(s) once each.
        Assert.True(_faults.Executions >= 6, $"{_faults.Executions} executions");
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM checkout_sessions WHERE invoice_number = '{order.Invoice}'"));
        Assert.Equal(1, await server.CountAsync("SELECT COUNT(*) FROM payment_attempts"));
        Assert.Equal("SUCCESS", (await server.StatusAsync(order.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task ConcurrentCreates_AreEachCommittedOnce_WhenBatchesFailTransiently()
    {
        await using var server = await StartAsync(writeTimeout: "00:00:30");
        // Three: a write gets three retries, and under load one write may meet every injected failure in a row.
        _faults.FailNext(3);

        var orders = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => server.CreateAsync()));

        Assert.True(_faults.Executions > 20, $"{_faults.Executions} executions: no failure was injected");
        Assert.Equal(20, await server.CountAsync("SELECT COUNT(*) FROM checkout_sessions"));
        Assert.Equal(20, orders.Select(o => o.Invoice).Distinct().Count());
    }

    [SkippableFact]
    public async Task Requests_Get503WithRetryAfter_AndQueuedWritesAreNeverCommitted_WhenTheDatabaseStalls()
    {
        await using var server = await StartAsync();
        var (held, heldRequest) = (Seed.NewInvoice(), Guid.NewGuid().ToString());
        var (queued, queuedRequest) = (Seed.NewInvoice(), Guid.NewGuid().ToString());
        _faults.Stall();
        var heldAnswer = server.CreatePaymentAsync(Seed.BasicRequest(held), heldRequest);
        await _faults.Entered.WaitAsync(TimeSpan.FromSeconds(10));

        var clock = Stopwatch.StartNew();
        using var refused = await server.CreatePaymentAsync(Seed.BasicRequest(queued), queuedRequest);
        var waited = clock.Elapsed;
        using var heldRefused = await heldAnswer;
        _faults.Release();

        await AssertUnavailableAsync(refused, queuedRequest, "nothing was stored");
        Assert.InRange(waited, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
        // The held write had started: its caller is told it may be stored, and it is.
        await AssertUnavailableAsync(heldRefused, heldRequest, "may still be stored");

        using var missing = await server.GetSignedAsync("/orders/v1/status/" + queued);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var again = await server.CreatePaymentAsync(Seed.BasicRequest(queued), queuedRequest);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        using var replay = await server.CreatePaymentAsync(Seed.BasicRequest(held), heldRequest);
        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM checkout_sessions WHERE invoice_number = '{queued}'"));
        await server.CreateAsync();
    }

    [SkippableFact]
    public async Task Writes_FailAtOnceWith503_WhenTheQueueIsFull()
    {
        await using var server = await StartAsync(writeTimeout: "00:00:20", maxQueued: 2);
        var batcher = server.Services.GetRequiredService<WriteBatcher>();
        _faults.Stall();
        var held = server.CreateAsync();
        await _faults.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        var waiting = new[] { server.CreateAsync(), server.CreateAsync() };
        var deadline = Stopwatch.StartNew();
        while (batcher.Queued < 2 && deadline.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(10);

        var requestId = Guid.NewGuid().ToString();
        var clock = Stopwatch.StartNew();
        using var refused = await server.CreatePaymentAsync(Seed.BasicRequest(Seed.NewInvoice()), requestId);
        var waited = clock.Elapsed;
        _faults.Release();

        await AssertUnavailableAsync(refused, requestId, "already waiting", retryAfter: 20);
        Assert.True(waited < TimeSpan.FromSeconds(5), $"waited {waited}");
        await held;
        await Task.WhenAll(waiting);
        Assert.Equal(3, await server.CountAsync("SELECT COUNT(*) FROM checkout_sessions"));
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response, string requestId, string reason, int retryAfter = 1)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(retryAfter), response.Headers.RetryAfter?.Delta);
        Assert.Contains(reason, Json.Errors(await Json.ReadAsync(response)).Single(), StringComparison.Ordinal);
        var timestamp = response.Headers.GetValues(DokuSignature.ResponseTimestamp).Single();
        Assert.True(DokuSignature.Verify(TestServer.SecretKey, TestServer.ClientId, requestId, timestamp, CreatePath,
            DokuSignature.Digest(bytes), response.Headers.GetValues("Signature").Single(), DokuSignature.ResponseTimestamp));
    }
}

public sealed class StalledDatabaseTests_Sqlite : StalledDatabaseTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class StalledDatabaseTests_Postgres : StalledDatabaseTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}

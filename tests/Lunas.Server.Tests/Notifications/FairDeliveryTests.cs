using System.Diagnostics;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.Notifications;

/// <summary>One receiver that accepts connections and never answers holds up nobody else.</summary>
public abstract class FairDeliveryTests : DatabaseTest
{
    /// <summary>Pays one order, then copies its notification <paramref name="count"/> times, due before anything else, to <paramref name="url"/>.</summary>
    private static async Task QueueAsync(TestServer server, string url, int count)
    {
        var order = await server.CreateAsync();
        using var paid = await server.SimulateAsync(order.Invoice, "QRIS");
        var past = server.Clock.GetUtcNow().AddMinutes(-1).ToUnixTimeMilliseconds();
        await server.ExecuteAsync($"""
            INSERT INTO notifications (notification_id, merchant_id, session_id, invoice_number, event, url, body, status, attempts,
                created_at, next_attempt_at)
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count})
            SELECT 'hole-' || i, merchant_id, session_id, invoice_number, event, '{url}', body, 'PENDING', 0, {past}, {past}
            FROM n, notifications WHERE invoice_number = '{order.Invoice}'
            """);
    }

    private async Task<TestServer> StartAsync(TestReceiver sink, params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Lunas:Merchants:0:NotificationUrl"] = sink.BaseUrl + "/sink",
            ["Lunas:Notifications:PollInterval"] = "00:00:00.100",
        };
        foreach (var (key, value) in settings) all[key] = value;
        return await TestServer.StartAsync(Database, all);
    }

    private static async Task<TimeSpan> TimeHealthyDeliveryAsync(TestServer server, TestReceiver healthy)
    {
        var invoice = Seed.NewInvoice();
        var order = await server.CreateAsync(
            $$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}"},"payment":{},"additional_info":{"override_notification_url":"{{{healthy.BaseUrl}}}/hook"}}""");
        var stopwatch = Stopwatch.StartNew();
        using var paid = await server.SimulateAsync(order.Invoice, "QRIS");
        var request = (await healthy.WaitForAsync(1, TimeSpan.FromSeconds(10))).Single();
        Assert.Contains(invoice, request.Text, StringComparison.Ordinal);
        return stopwatch.Elapsed;
    }

    [SkippableFact]
    public async Task HealthyReceiver_GetsItsNotificationWithin2Seconds_WhenHundredsHangOnABlackHole()
    {
        await using var hole = new BlackHoleReceiver();
        await using var sink = await TestReceiver.StartAsync();
        await using var healthy = await TestReceiver.StartAsync();
        // A timeout far longer than the test: nothing times out, so only fair claiming can let the healthy one through.
        await using var server = await StartAsync(sink, ("Lunas:Notifications:Timeout", "00:01:00"));
        await QueueAsync(server, hole.BaseUrl + "/hook", 300);
        await hole.WaitForConnectionsAsync(16, TimeSpan.FromSeconds(10));
        await Task.Delay(300);

        var elapsed = await TimeHealthyDeliveryAsync(server, healthy);

        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"the healthy receiver's notification took {elapsed.TotalMilliseconds:0} ms");
        // At most ConcurrencyPerHost (default 16) sends to one receiver at a time, none of them answered yet.
        Assert.Equal(16, hole.Connections);
        Assert.Equal(0, await server.CountAsync("SELECT COUNT(*) FROM notifications WHERE attempts > 0 AND notification_id LIKE 'hole-%'"));
    }

    [SkippableFact]
    public async Task ReceiverThatKeepsTimingOut_IsBackedOff_ItsOtherRowsWaitingWithTheirScheduleUnchanged()
    {
        await using var hole = new BlackHoleReceiver();
        await using var sink = await TestReceiver.StartAsync();
        await using var healthy = await TestReceiver.StartAsync();
        await using var server = await StartAsync(sink, ("Lunas:Notifications:Timeout", "00:00:00.500"),
            ("Lunas:Notifications:ConcurrencyPerHost", "4"), ("Lunas:Notifications:HostBackoff", "00:01:00"));
        var now = server.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        string Postponed(long until) => "SELECT COUNT(*) FROM notifications WHERE attempts = 0 AND first_attempt_at IS NULL"
                                        + $" AND locked_by IS NULL AND next_attempt_at = {until}";
        await QueueAsync(server, hole.BaseUrl + "/hook", 40);
        await WaitForCountAsync(server, Postponed(now + 60_000), 36);

        // The four sent at once timed out (after the first, no more were started); the other 36 wait out the back-off
        // unsent and unclaimed, their first attempt still to come. Under a loaded CPU a send can time out before its
        // connection is accepted, so the receiver may have seen fewer than four connections, never more.
        // Each timed-out send is recorded by its own write, which may land just after the 36 rows were postponed.
        await WaitForCountAsync(server, "SELECT COUNT(*) FROM notifications WHERE attempts = 1 AND notification_id LIKE 'hole-%'", 4);
        await Task.Delay(500); // an accepted connection the receiver's loop has not counted yet
        var connections = hole.Connections;
        Assert.InRange(connections, 1, 4);
        Assert.True(await TimeHealthyDeliveryAsync(server, healthy) < TimeSpan.FromSeconds(2));

        // After the back-off one probe is sent (while it is out, a few more are held, no more sent); it times out too,
        // the next back-off is twice as long, and nothing more is sent to the receiver meanwhile.
        server.Clock.Advance(TimeSpan.FromSeconds(61));
        await hole.WaitForConnectionsAsync(connections + 1, TimeSpan.FromSeconds(10));
        await WaitForCountAsync(server, Postponed(now + 61_000 + 120_000), 3);
        await Task.Delay(700);
        Assert.Equal(connections + 1, hole.Connections);
        Assert.Equal(35, await server.CountAsync("SELECT COUNT(*) FROM notifications WHERE attempts = 0"));
    }

    private static async Task WaitForCountAsync(TestServer server, string sql, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await server.CountAsync(sql) != expected && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(expected, await server.CountAsync(sql));
    }
}

public sealed class FairDeliveryTests_Sqlite : FairDeliveryTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class FairDeliveryTests_Postgres : FairDeliveryTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}

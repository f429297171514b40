using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.Telemetry;

/// <summary>
/// The metrics tests run alone: an OpenTelemetry meter provider listens to every meter named <c>Lunas</c> in the process,
/// so another test's server paying at the same moment would move this server's counters.
/// </summary>
[CollectionDefinition(nameof(MetricsCollection), DisableParallelization = true)]
public sealed class MetricsCollection;

[Collection(nameof(MetricsCollection))]
public abstract partial class MetricsTests : DatabaseTest
{
    [SkippableFact]
    public async Task Metrics_CountEachCommittedChangeOnce_ForPaymentsThroughTheSimulator()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var server = await TestServer.StartAsync(Database, new Dictionary<string, string?>
        {
            ["Lunas:Merchants:0:NotificationUrl"] = receiver.BaseUrl + "/notify",
            ["Lunas:Notifications:PollInterval"] = "00:00:00.100",
        });
        var before = Scrape.Parse(await server.Http.GetStringAsync("/metrics"));

        // One order offering only BCA's virtual account, created, replayed (409, not a new payment), paid, paid again (409).
        var invoice = Seed.NewInvoice();
        var body = $$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}"},"payment":{"payment_method_types":["VIRTUAL_ACCOUNT_BCA"]}}""";
        var bca = await server.CreateAsync(body);
        using (var replay = await server.CreatePaymentAsync(body, bca.RequestId)) Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        using (var paid = await server.SimulateAsync(invoice, "VIRTUAL_ACCOUNT_BCA")) Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        using (var again = await server.SimulateAsync(invoice, "VIRTUAL_ACCOUNT_BCA")) Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        // Two orders offering every channel: one whose card payment fails, one that expires before any choice.
        var failing = await server.CreateAsync();
        using (var failed = await server.SimulateAsync(failing.Invoice, "CREDIT_CARD", "FAILED")) Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        var expiring = await server.CreateAsync();
        using (var expired = await server.PostSignedAsync("/sandbox/v1/expirations", $$"""{"invoice_number":"{{expiring.Invoice}}"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, expired.StatusCode);
        }
        await receiver.WaitForAsync(3);
        var after = await ScrapeUntilAsync(server, s => s.Delta(before, "lunas_notifications_attempts_total") >= 3);

        Assert.Equal(1, after.Delta(before, "lunas_payments_created_total", ("lunas_channel", "VIRTUAL_ACCOUNT_BCA")));
        Assert.Equal(2, after.Delta(before, "lunas_payments_created_total", ("lunas_channel", "unselected")));
        Assert.Equal(3, after.Delta(before, "lunas_payments_created_total"));
        Assert.Equal(1, after.Delta(before, "lunas_payments_paid_total", ("lunas_channel", "VIRTUAL_ACCOUNT_BCA")));
        Assert.Equal(1, after.Delta(before, "lunas_payments_paid_total"));
        Assert.Equal(1, after.Delta(before, "lunas_payments_failed_total", ("lunas_channel", "CREDIT_CARD")));
        Assert.Equal(1, after.Delta(before, "lunas_payments_expired_total", ("lunas_channel", "unselected")));
        Assert.Equal(3, after.Delta(before, "lunas_notifications_attempts_total",
            ("lunas_notification_outcome", "delivered"), ("lunas_notification_kind", "scheduled")));
        Assert.Equal(3, after.Delta(before, "lunas_notifications_attempts_total"));
        Assert.Equal(3, after.Delta(before, "lunas_notifications_delivery_duration_seconds_count"));
        // Every write above went through the group commit: its histograms moved, with their buckets.
        Assert.True(after.Delta(before, "lunas_write_batch_size_count") >= 6, "write batches: " + after.Delta(before, "lunas_write_batch_size_count"));
        Assert.True(after.Delta(before, "lunas_write_batch_size_sum") >= 6);
        Assert.True(after.Sum("lunas_write_batch_size_bucket", ("le", "+Inf")) >= 6);
        Assert.True(after.Sum("lunas_write_batch_commit_duration_seconds_count") >= 6);
        Assert.True(after.Has("lunas_write_batch_queued"));
        // ASP.NET Core's own request metrics are there too, by route.
        Assert.True(after.Sum("http_server_request_duration_seconds_count", ("http_route", "/checkout/v1/payment")) >= 4);
    }

    [SkippableFact]
    public async Task Metrics_CountAGivenUpNotification_WhenItsOnlyAttemptFails()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (_, context) =>
        {
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        };
        await using var server = await TestServer.StartAsync(Database, new Dictionary<string, string?>
        {
            ["Lunas:Merchants:0:NotificationUrl"] = receiver.BaseUrl + "/notify",
            ["Lunas:Notifications:PollInterval"] = "00:00:00.100",
            // No retry after the first attempt: its failure ends the schedule.
            ["Lunas:Notifications:RetrySchedule"] = "",
        });
        var before = Scrape.Parse(await server.Http.GetStringAsync("/metrics"));
        var order = await server.CreateAsync();

        using (var paid = await server.SimulateAsync(order.Invoice, "QRIS")) Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        await receiver.WaitForAsync(1);
        var after = await ScrapeUntilAsync(server, s => s.Delta(before, "lunas_notifications_attempts_total") >= 1);

        Assert.Equal(1, after.Delta(before, "lunas_notifications_attempts_total", ("lunas_notification_outcome", "given_up")));
        Assert.Equal(0, after.Delta(before, "lunas_notifications_attempts_total", ("lunas_notification_outcome", "delivered")));
        Assert.Equal(1, after.Delta(before, "lunas_notifications_delivery_duration_seconds_count", ("error_type", "http_status")));
        Assert.Equal(1, after.Delta(before, "lunas_payments_paid_total", ("lunas_channel", "QRIS")));
    }

    /// <summary>Scrapes until <paramref name="ready"/> holds (a notification is recorded just after it is sent), at most 15 s.</summary>
    private static async Task<Scrape> ScrapeUntilAsync(TestServer server, Func<Scrape, bool> ready)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var scrape = Scrape.Parse(await server.Http.GetStringAsync("/metrics"));
            if (ready(scrape) || DateTime.UtcNow > deadline) return scrape;
            await Task.Delay(50);
        }
    }

    /// <summary>The samples of a Prometheus text exposition: metric name, labels, value.</summary>
    private sealed partial record Scrape(IReadOnlyList<(string Name, IReadOnlyDictionary<string, string> Labels, double Value)> Samples)
    {
        public static Scrape Parse(string text)
        {
            var samples = new List<(string, IReadOnlyDictionary<string, string>, double)>();
            foreach (var line in text.Split('\n'))
            {
                var match = Sample().Match(line.TrimEnd('\r'));
                if (!match.Success) continue;
                var labels = Label().Matches(match.Groups[2].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
                samples.Add((match.Groups[1].Value, labels, double.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture)));
            }
            return new Scrape(samples);
        }

        public bool Has(string name) => Samples.Any(s => s.Name == name);

        /// <summary>The sum of the samples of <paramref name="name"/> whose labels include every one of <paramref name="labels"/>.</summary>
        public double Sum(string name, params (string Label, string Value)[] labels)
            => Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).Sum(s => s.Value);

        public double Delta(Scrape before, string name, params (string Label, string Value)[] labels)
            => Sum(name, labels) - before.Sum(name, labels);

        [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$")]
        private static partial Regex Sample();

        [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
        private static partial Regex Label();
    }
}

public sealed class MetricsTests_Sqlite : MetricsTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class MetricsTests_Postgres : MetricsTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}

public sealed class MetricsSwitchTests : IDisposable
{
    private readonly TestDatabase _database = TestDatabase.CreateSqlite();

    [Fact]
    public async Task MetricsPath_Is404_WhenMetricsAreTurnedOff()
    {
        await using var server = await TestServer.StartAsync(_database, new Dictionary<string, string?> { ["Lunas:Telemetry:Metrics"] = "false" });

        using var metrics = await server.Http.GetAsync("/metrics");
        using var health = await server.Http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task MetricsPath_ServesPrometheusText_ByDefault()
    {
        await using var server = await TestServer.StartAsync(_database);

        using var metrics = await server.Http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        // The write queue's gauge is observed at every scrape, so it is there before anything was written.
        Assert.Contains("# TYPE lunas_write_batch_queued gauge", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public void Dispose() => _database.Dispose();
}

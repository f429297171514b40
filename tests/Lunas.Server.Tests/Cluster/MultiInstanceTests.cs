using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.Cluster;

/// <summary>Two Lunas processes on one PostgreSQL database, as behind a load balancer without sticky sessions.</summary>
public sealed class MultiInstanceTests_Postgres : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private TestReceiver _receiver = null!;
    private ServerProcess _a = null!;
    private ServerProcess _b = null!;
    private HttpClient _httpA = null!;
    private HttpClient _httpB = null!;

    public async Task InitializeAsync()
    {
        _database = TestDatabase.CreatePostgres();
        _receiver = await TestReceiver.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Lunas:Merchants:0:NotificationUrl"] = _receiver.BaseUrl + "/hook",
            ["Lunas:Notifications:PollInterval"] = "00:00:00.100",
            ["Lunas:Notifications:RetrySchedule"] = "00:00:02",
            ["Lunas:RequestLog"] = "false",
        };
        // Started together: the advisory lock makes one of them migrate and the other wait.
        var started = await Task.WhenAll(ServerProcess.StartAsync(_database, settings), ServerProcess.StartAsync(_database, settings));
        (_a, _b) = (started[0], started[1]);
        _httpA = new HttpClient { BaseAddress = new Uri(_a.BaseUrl) };
        _httpB = new HttpClient { BaseAddress = new Uri(_b.BaseUrl) };
    }

    public async Task DisposeAsync()
    {
        _httpA.Dispose();
        _httpB.Dispose();
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _receiver.DisposeAsync();
        _database.Dispose();
    }

    [SkippableFact]
    public async Task CheckoutCreatedOnOne_IsPaidOnTheOther_AndReadOnEither()
    {
        var invoice = Seed.NewInvoice();
        using var created = await _httpA.PostAsync("/checkout/v1/payment", Seed.BasicRequest(invoice));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var url = (await Json.ReadAsync(created)).GetProperty("response").GetProperty("payment").GetProperty("url").GetString()!;

        using var page = await _httpB.GetAsync(new Uri(url).PathAndQuery);
        using var paid = await _httpB.PostAsync("/sandbox/v1/payments",
            $$"""{"invoice_number":"{{invoice}}","payment_method_type":"VIRTUAL_ACCOUNT_BCA","result":"SUCCESS"}""");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        foreach (var http in new[] { _httpA, _httpB })
        {
            using var status = await http.GetSignedAsync("/orders/v1/status/" + invoice);
            Assert.Equal("SUCCESS", (await Json.ReadAsync(status)).TransactionStatus());
        }
    }

    [SkippableFact]
    public async Task SameRequestIdSentToBothAtOnce_CreatesOneSession()
    {
        var pairs = Enumerable.Range(0, 20).Select(_ => (RequestId: Guid.NewGuid().ToString(), Body: Seed.BasicRequest(Seed.NewInvoice()))).ToList();

        var responses = await Task.WhenAll(pairs.SelectMany(p => new[]
        {
            _httpA.PostAsync("/checkout/v1/payment", p.Body, p.RequestId),
            _httpB.PostAsync("/checkout/v1/payment", p.Body, p.RequestId),
        }));

        for (var i = 0; i < pairs.Count; i++)
        {
            var (first, second) = (responses[2 * i], responses[2 * i + 1]);
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], new[] { first.StatusCode, second.StatusCode }.Order());
            Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        }
        Assert.Equal(pairs.Count, await CountAsync("SELECT COUNT(*) FROM checkout_sessions"));
    }

    [SkippableFact]
    public async Task RacingPaymentsOnBothInstances_GiveOneSuccess()
    {
        for (var round = 0; round < 5; round++)
        {
            var invoice = Seed.NewInvoice();
            using var created = await _httpA.PostAsync("/checkout/v1/payment", Seed.BasicRequest(invoice));
            using var again = await _httpB.PostAsync("/checkout/v1/payment", Seed.BasicRequest(invoice));
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            // The older session's VA number, paid by the bank, races the simulator paying the newer session: two
            // sessions of one invoice, so only the partial unique index can keep them from both succeeding.
            var olderToken = (await Json.ReadAsync(created)).GetProperty("response").GetProperty("payment").GetProperty("token_id").GetString();
            using var choose = await _httpA.PostAsync($"/checkout-link-v2/{olderToken}/choose",
                new FormUrlEncodedContent([new("channel", "VIRTUAL_ACCOUNT_BNI")]));
            var number = await ScalarAsync($"SELECT a.pay_code FROM payment_attempts a JOIN checkout_sessions s ON s.session_id = a.session_id WHERE s.token_id = '{olderToken}'");

            var results = await Task.WhenAll(
                _httpB.PostAsync("/sandbox/v1/virtual-accounts/payments", $$"""{"virtual_account_number":"{{number}}"}"""),
                _httpA.PostAsync("/sandbox/v1/payments", $$"""{"invoice_number":"{{invoice}}","payment_method_type":"CREDIT_CARD","result":"SUCCESS"}"""),
                _httpB.PostAsync("/sandbox/v1/payments", $$"""{"invoice_number":"{{invoice}}","payment_method_type":"QRIS","result":"SUCCESS"}"""),
                _httpA.PostAsync("/sandbox/v1/payments", $$"""{"invoice_number":"{{invoice}}","payment_method_type":"EMONEY_OVO","result":"SUCCESS"}"""));

            Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK);
            Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
            Assert.Equal(1, await CountAsync($"SELECT COUNT(*) FROM checkout_sessions WHERE invoice_number = '{invoice}' AND status = 'SUCCESS'"));
            Assert.Equal(1, await CountAsync($"SELECT COUNT(*) FROM payment_attempts a JOIN checkout_sessions s ON s.session_id = a.session_id WHERE s.invoice_number = '{invoice}' AND a.status = 'SUCCESS'"));
        }
    }

    [SkippableFact]
    public async Task NotificationsFromBothInstances_AreAttemptedOncePerScheduleStep()
    {
        _receiver.Respond = (_, context) =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        };
        var invoices = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var invoice = Seed.NewInvoice();
            var http = i % 2 == 0 ? _httpA : _httpB;
            using var created = await http.PostAsync("/checkout/v1/payment", Seed.BasicRequest(invoice));
            using var paid = await http.PostAsync("/sandbox/v1/payments",
                $$"""{"invoice_number":"{{invoice}}","payment_method_type":"VIRTUAL_ACCOUNT_BRI","result":"SUCCESS"}""");
            Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
            invoices.Add(invoice);
        }

        // One first attempt and one retry (schedule +2 s) each, then FAILED; wait past the retry and then some.
        await _receiver.WaitForAsync(invoices.Count * 2, TimeSpan.FromSeconds(30));
        await Task.Delay(3000);

        var perInvoice = _receiver.Requests.GroupBy(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("order").GetProperty("invoice_number").GetString())
            .ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(invoices.Order(), perInvoice.Keys.Order());
        Assert.All(perInvoice.Values, count => Assert.Equal(2, count));
        Assert.Equal(invoices.Count, await CountAsync("SELECT COUNT(*) FROM notifications WHERE status = 'FAILED'"));
    }

    [SkippableFact]
    public async Task KillingOneInstanceMidLoad_LosesNothingAcknowledged()
    {
        var acknowledged = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        async Task LoadAsync(HttpClient http)
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await http.PostAsync("/checkout/v1/payment", Seed.BasicRequest(Seed.NewInvoice()));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged.Add((await Json.ReadAsync(response)).GetProperty("response").GetProperty("payment").GetProperty("token_id").GetString()!);
                    }
                }
                catch (HttpRequestException)
                {
                    // The killed instance: no answer, so nothing was acknowledged.
                }
            }
        }
        var load = Enumerable.Range(0, 8).Select(i => LoadAsync(i % 2 == 0 ? _httpA : _httpB)).ToList();
        await Task.Delay(1500);
        _a.Kill();
        await Task.Delay(1000);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.True(acknowledged.Count > 20, $"only {acknowledged.Count} acknowledged");
        var stored = new HashSet<string>();
        await using (var connection = new Npgsql.NpgsqlConnection(_database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("SELECT token_id FROM checkout_sessions", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) stored.Add(reader.GetString(0));
        }
        Assert.DoesNotContain(acknowledged, token => !stored.Contains(token));
    }

    [SkippableFact]
    public async Task CardRefundsSentToBothAtOnce_ApplyOnce()
    {
        for (var round = 0; round < 5; round++)
        {
            var invoice = Seed.NewInvoice();
            var createId = Guid.NewGuid().ToString();
            using var created = await _httpA.PostAsync("/checkout/v1/payment", Seed.BasicRequest(invoice), createId);
            using var paid = await _httpB.PostAsync("/sandbox/v1/payments",
                $$"""{"invoice_number":"{{invoice}}","payment_method_type":"CREDIT_CARD","result":"SUCCESS"}""");
            Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
            var body = $$"""{"order":{"invoice_number":"{{invoice}}"},"payment":{"original_request_id":"{{createId}}"},"refund":{"amount":20000} }""";
            var repeated = Guid.NewGuid().ToString();

            // The same Request-Id on both instances, and two other Request-Ids: one void of the full amount applies.
            var results = await Task.WhenAll(
                _httpA.PostAsync("/cancellation/credit-card/refund", body, repeated),
                _httpB.PostAsync("/cancellation/credit-card/refund", body, repeated),
                _httpA.PostAsync("/cancellation/credit-card/refund", body),
                _httpB.PostAsync("/credit-card/v1/cancellation/credit-card/refund", body));

            Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK);
            Assert.All(results, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict or HttpStatusCode.BadRequest));
            Assert.Equal(20000, await CountAsync($"SELECT refunded_amount FROM checkout_sessions WHERE invoice_number = '{invoice}'"));
            Assert.Equal(1, await CountAsync($"SELECT COUNT(*) FROM notifications WHERE invoice_number = '{invoice}' AND event = 'VOIDED'"));
            Assert.Equal(1, await CountAsync($"SELECT COUNT(*) FROM payment_operations WHERE request_id = '{repeated}'"));
            foreach (var result in results) result.Dispose();
        }
    }

    [SkippableFact]
    public async Task ClockAdvancedOnOne_IsTheMerchantsTimeOnTheOther()
    {
        var invoice = Seed.NewInvoice();
        using (var created = await _httpA.PostAsync("/checkout/v1/payment", Seed.BasicRequest(invoice))) Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        // B makes a session first, so it holds the offset (0) for new sessions when A moves the clock.
        using (var before = await _httpB.PostAsync("/checkout/v1/payment", Seed.BasicRequest(Seed.NewInvoice()))) Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        using var advanced = await _httpA.PostAsync("/sandbox/v1/clock", """{"advance_seconds":7200}""");
        using var clock = await _httpB.GetSignedAsync("/sandbox/v1/clock");
        using var status = await _httpB.GetSignedAsync("/orders/v1/status/" + invoice);
        await Task.Delay(Lunas.Server.Payments.MerchantClock.CacheLifetime + TimeSpan.FromMilliseconds(200));
        using var after = await _httpB.PostAsync("/checkout/v1/payment", Seed.BasicRequest(Seed.NewInvoice()));

        Assert.Equal(HttpStatusCode.OK, advanced.StatusCode);
        Assert.Equal(7200, (await Json.ReadAsync(clock)).GetProperty("offset_seconds").GetInt64());
        Assert.Equal("EXPIRED", (await Json.ReadAsync(status)).TransactionStatus());
        var expired = DateTimeOffset.ParseExact((await Json.ReadAsync(after)).GetProperty("response").GetProperty("payment")
            .GetProperty("expired_date").GetString()! + "+07:00", "yyyyMMddHHmmsszzz", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True((expired - DateTimeOffset.UtcNow - TimeSpan.FromHours(3)).Duration() < TimeSpan.FromSeconds(10), $"expired_date {expired:O}");
    }

    private async Task<string> ScalarAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

}

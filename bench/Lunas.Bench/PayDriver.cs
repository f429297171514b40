using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Lunas.Protocol.Signing;

namespace Lunas.Bench;

/// <summary>
/// The client half of bench/notify.sh: creates orders and pays them through the sandbox, each request signed live
/// (fresh Request-Id and timestamp) with <see cref="DokuSignature"/>.
/// <list type="bullet">
/// <item><c>--mode throughput</c>: N orders, each created (<c>POST /checkout/v1/payment</c>) then paid
/// (<c>POST /sandbox/v1/payments</c>, VIRTUAL_ACCOUNT_BCA, SUCCESS), at most <c>--concurrency</c> orders at once.</item>
/// <item><c>--mode latency</c>: one order at a time: create, pay, then wait (long poll on the receiver's
/// <c>GET /wait</c>) until its notification arrived; the latency is the receiver's arrival time minus the moment the
/// pay response was received (both wall clock on this machine), and also minus the moment the pay request was sent.</item>
/// </list>
/// The last line printed is machine-readable: <c>PAY key=value …</c>.
/// </summary>
internal static class PayDriver
{
    private const string CreateTarget = "/checkout/v1/payment";
    private const string PayTarget = "/sandbox/v1/payments";

    public static async Task<int> RunAsync(Arguments args)
    {
        var url = args.Required("url").TrimEnd('/');
        var clientId = args.Required("client-id");
        var secretKey = args.Required("secret-key");
        var count = args.RequiredPositiveInt("count");
        var mode = args.Optional("mode", "throughput");
        var concurrency = args.OptionalPositiveInt("concurrency", 32);
        var channel = args.Optional("channel", "VIRTUAL_ACCOUNT_BCA");
        var prefix = args.Optional("prefix", "N");
        var output = args.Optional("out", "");
        if (mode is not ("throughput" or "latency")) throw new ArgumentException("--mode must be throughput or latency");
        if (!prefix.All(char.IsAsciiLetterOrDigit) || prefix.Length > 4) throw new ArgumentException("--prefix: 1-4 letters or digits");
        // Letters and digits only, at most 30 characters: PREFIX + yyMMddHHmmss + 8 digits.
        var tag = prefix + DateTime.UtcNow.ToString("yyMMddHHmmss", CultureInfo.InvariantCulture);

        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = mode == "latency" ? 2 : concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
        })
        { Timeout = TimeSpan.FromSeconds(30) };
        var client = new SignedClient(http, url, clientId, secretKey);

        if (mode == "throughput")
        {
            return await ThroughputAsync(client, count, concurrency, channel, tag, output);
        }
        var receiver = args.Required("receiver").TrimEnd('/');
        var waitMs = args.OptionalPositiveInt("wait-timeout-ms", 10_000);
        var gapMs = args.OptionalNonNegativeInt("gap-ms", 0);
        return await LatencyAsync(client, http, receiver, count, channel, tag, waitMs, gapMs, output);
    }

    private static async Task<int> ThroughputAsync(SignedClient client, int count, int concurrency, string channel, string tag, string output)
    {
        var createMs = new double[count];
        var payMs = new double[count];
        var failures = 0;
        string? firstFailure = null;
        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
        var done = 0;
        // When half of the orders were done: the rate of the second half leaves out most of the JIT's warm-up.
        var halfAt = 0.0;
        var total = Stopwatch.StartNew();
        using var progress = new Timer(_ => Console.Error.WriteLine(
            $"pay: {Volatile.Read(ref done)}/{count} orders paid after {total.Elapsed.TotalSeconds:F1} s"), null, 5000, 5000);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (i, token) =>
            {
                var invoice = Invoice(tag, i);
                var (created, createElapsed, createBody) = await client.SendAsync(CreateTarget, CreateBody(i, invoice), token);
                createMs[i] = createElapsed;
                (int Status, double Ms, string Body) paid = (0, 0, "");
                if (created == 200)
                {
                    paid = await client.SendAsync(PayTarget, PayBody(invoice, channel), token);
                    payMs[i] = paid.Ms;
                }
                lock (statuses)
                {
                    var key = created != 200 ? $"create:{created}" : $"pay:{paid.Status}";
                    statuses[key] = statuses.GetValueOrDefault(key) + 1;
                    if (created != 200 || paid.Status != 200)
                    {
                        failures++;
                        firstFailure ??= $"{invoice}: {key} {(created != 200 ? createBody : paid.Body)}";
                    }
                }
                if (Interlocked.Increment(ref done) == count / 2) Volatile.Write(ref halfAt, total.Elapsed.TotalSeconds);
            });
        var seconds = total.Elapsed.TotalSeconds;
        var secondHalf = seconds > halfAt ? (count - count / 2) / (seconds - halfAt) : 0;
        if (output.Length > 0)
        {
            await File.WriteAllLinesAsync(output, Enumerable.Range(0, count).Select(i => Invoice(tag, i)));
        }
        if (firstFailure is not null) await Console.Error.WriteLineAsync("pay: first failure: " + Cut(firstFailure));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"PAY mode=throughput orders={count} ok={count - failures} failed={failures} concurrency={concurrency} duration_s={seconds:F3} " +
            $"paid_per_s={(count - failures) / seconds:F1} second_half_per_s={secondHalf:F1} create_p50_ms={Percentile(createMs, 50):F3} create_p99_ms={Percentile(createMs, 99):F3} " +
            $"pay_p50_ms={Percentile(payMs, 50):F3} pay_p99_ms={Percentile(payMs, 99):F3} tag={tag} status={Statuses(statuses)}"));
        return failures == 0 ? 0 : 1;
    }

    private static async Task<int> LatencyAsync(SignedClient client, HttpClient http, string receiver, int count, string channel, string tag,
        int waitMs, int gapMs, string output)
    {
        var fromResponse = new List<double>(count);
        var fromRequest = new List<double>(count);
        var payMs = new List<double>(count);
        var lines = new List<string>(count) { "invoice\tpay_sent_us\tpay_answered_us\tarrived_us\tfrom_response_ms\tfrom_request_ms" };
        var missing = 0;
        string? failure = null;
        for (var i = 0; i < count && failure is null; i++)
        {
            var invoice = Invoice(tag, i);
            var created = await client.SendAsync(CreateTarget, CreateBody(i, invoice), CancellationToken.None);
            if (created.Status != 200)
            {
                failure = $"{invoice}: create answered {created.Status} {created.Body}";
                break;
            }
            var sent = Receiver.UnixMicros();
            var paid = await client.SendAsync(PayTarget, PayBody(invoice, channel), CancellationToken.None);
            var answered = Receiver.UnixMicros();
            if (paid.Status != 200)
            {
                failure = $"{invoice}: pay answered {paid.Status} {paid.Body}";
                break;
            }
            payMs.Add(paid.Ms);
            using var wait = await http.GetAsync($"{receiver}/wait?invoice={invoice}&timeout_ms={waitMs}");
            if (wait.StatusCode != HttpStatusCode.OK)
            {
                missing++;
                lines.Add($"{invoice}\t{sent}\t{answered}\t\t\t");
                continue;
            }
            using var document = JsonDocument.Parse(await wait.Content.ReadAsByteArrayAsync());
            var arrived = document.RootElement.GetProperty("arrived_us").GetInt64();
            fromResponse.Add((arrived - answered) / 1000.0);
            fromRequest.Add((arrived - sent) / 1000.0);
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{invoice}\t{sent}\t{answered}\t{arrived}\t{(arrived - answered) / 1000.0:F3}\t{(arrived - sent) / 1000.0:F3}"));
            if (gapMs > 0) await Task.Delay(gapMs);
        }
        if (output.Length > 0) await File.WriteAllLinesAsync(output, lines);
        if (failure is not null) await Console.Error.WriteLineAsync("pay: " + Cut(failure));
        var r = fromResponse.ToArray();
        var q = fromRequest.ToArray();
        var p = payMs.ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"PAY mode=latency orders={count} measured={r.Length} missing={missing} failed={(failure is null ? 0 : 1)} " +
            $"p50_ms={Percentile(r, 50):F3} p90_ms={Percentile(r, 90):F3} p99_ms={Percentile(r, 99):F3} " +
            $"min_ms={(r.Length > 0 ? r.Min() : 0):F3} max_ms={(r.Length > 0 ? r.Max() : 0):F3} " +
            $"from_request_p50_ms={Percentile(q, 50):F3} from_request_p99_ms={Percentile(q, 99):F3} " +
            $"pay_p50_ms={Percentile(p, 50):F3} pay_p99_ms={Percentile(p, 99):F3} tag={tag}"));
        return failure is null && missing == 0 ? 0 : 1;
    }

    private static string Invoice(string tag, int i) => string.Create(CultureInfo.InvariantCulture, $"{tag}{i:D8}");

    private static byte[] CreateBody(int i, string invoice)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            RequestGenerator.WriteBody(json, i, invoice);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] PayBody(string invoice, string channel)
        => Encoding.UTF8.GetBytes($$"""{"invoice_number":"{{invoice}}","payment_method_type":"{{channel}}","result":"SUCCESS"}""");

    /// <summary>Nearest-rank percentile over the values (not sorted in place).</summary>
    internal static double Percentile(double[] values, double percent)
    {
        if (values.Length == 0) return 0;
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private static string Statuses(Dictionary<string, int> statuses)
        => string.Join(',', statuses.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}:{s.Value}"));

    private static string Cut(string text) => text.Length <= 400 ? text : text[..400] + "…";

    private sealed class SignedClient(HttpClient http, string url, string clientId, string secretKey)
    {
        public async Task<(int Status, double Ms, string Body)> SendAsync(string target, byte[] body, CancellationToken cancellationToken)
        {
            var requestId = Guid.NewGuid().ToString("D");
            var timestamp = DokuSignature.FormatTimestamp(DateTimeOffset.UtcNow);
            using var request = new HttpRequestMessage(HttpMethod.Post, url + target) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.Add("Client-Id", clientId);
            request.Headers.Add("Request-Id", requestId);
            request.Headers.Add(DokuSignature.RequestTimestamp, timestamp);
            request.Headers.Add("Signature", DokuSignature.SignBody(secretKey, clientId, requestId, timestamp, target, body, hasBody: true));
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                return ((int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds, text);
            }
            catch (HttpRequestException ex)
            {
                return (0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, ex.Message);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                return (0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, "timeout: " + ex.Message);
            }
        }
    }
}

using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Lunas.Protocol.Signing;

namespace Lunas.Bench;

/// <summary>
/// The notification receiver of bench/notify.sh: bare Kestrel answering 200 to any POST, recording when each
/// notification arrived (wall clock, microseconds since the Unix epoch, taken when the request reaches the handler)
/// under its <c>order.invoice_number</c>. Optionally checks each notification's DOKU signature.
/// <list type="bullet">
/// <item><c>POST /anything</c>: 200 <c>OK</c>; counted.</item>
/// <item><c>GET /stats</c>: count, distinct invoices, duplicates, bad signatures, first/last arrival, and the rate
/// between the 10th and the 90th percentile arrival (the steady rate, without start and tail).</item>
/// <item><c>GET /wait?invoice=X&amp;timeout_ms=N</c>: the invoice's arrival time as soon as it is known (long poll),
/// 404 after the timeout.</item>
/// </list>
/// The same figures are printed on exit.
/// </summary>
internal static class Receiver
{
    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;

    public static long UnixMicros() => (DateTime.UtcNow.Ticks - EpochTicks) / 10;

    public static async Task<int> RunAsync(string[] args)
    {
        // Only --secret-key is ours; everything else (--urls) goes to the host.
        string? secretKey = null;
        var hostArgs = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--secret-key" && i + 1 < args.Length) secretKey = args[++i];
            else hostArgs.Add(args[i]);
        }

        var state = new State(secretKey);
        var builder = WebApplication.CreateSlimBuilder(hostArgs.ToArray());
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/{**path}", state.ReceiveAsync);
        app.MapGet("/stats", context => WriteJsonAsync(context, state.Stats()));
        app.MapGet("/wait", state.WaitAsync);
        await app.RunAsync();
        await Console.Error.WriteLineAsync("receiver: " + state.Stats());
        return 0;
    }

    private static async Task WriteJsonAsync(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    private sealed class State(string? secretKey)
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _arrivals = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<long> _times = new();
        private long _count;
        private long _duplicates;
        private long _badSignatures;
        private long _noInvoice;

        public async Task ReceiveAsync(HttpContext context)
        {
            var arrived = UnixMicros();
            var request = context.Request;
            // The body, whole (notifications are about 1 KB; anything over 1 MB is cut off and counted as no invoice).
            var buffer = new ArrayBufferWriter<byte>(2048);
            while (buffer.WrittenCount < 1 << 20)
            {
                var read = await request.Body.ReadAsync(buffer.GetMemory(4096), context.RequestAborted);
                if (read == 0) break;
                buffer.Advance(read);
            }
            var body = buffer.WrittenSpan;
            if (secretKey is not null)
            {
                var ok = DokuSignature.Verify(secretKey, request.Headers["Client-Id"].ToString(), request.Headers["Request-Id"].ToString(),
                    request.Headers[DokuSignature.RequestTimestamp].ToString(), request.Path.Value ?? "/",
                    DokuSignature.Digest(body), request.Headers["Signature"].ToString());
                if (!ok) Interlocked.Increment(ref _badSignatures);
            }
            var invoice = InvoiceOf(body);
            Interlocked.Increment(ref _count);
            _times.Enqueue(arrived);
            if (invoice is null)
            {
                Interlocked.Increment(ref _noInvoice);
            }
            else if (!_arrivals.GetOrAdd(invoice, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously))
                         .TrySetResult(arrived))
            {
                Interlocked.Increment(ref _duplicates);
            }
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/plain";
            await context.Response.Body.WriteAsync("OK"u8.ToArray(), context.RequestAborted);
        }

        public async Task WaitAsync(HttpContext context)
        {
            var invoice = context.Request.Query["invoice"].ToString();
            if (invoice.Length == 0)
            {
                context.Response.StatusCode = 400;
                return;
            }
            if (!int.TryParse(context.Request.Query["timeout_ms"].ToString(), CultureInfo.InvariantCulture, out var timeoutMs)) timeoutMs = 10_000;
            var arrival = _arrivals.GetOrAdd(invoice, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(Math.Clamp(timeoutMs, 0, 600_000));
            try
            {
                var at = await arrival.WaitAsync(timeout.Token);
                await WriteJsonAsync(context, string.Create(CultureInfo.InvariantCulture, $$"""{"invoice":"{{invoice}}","arrived_us":{{at}}}"""));
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                context.Response.StatusCode = 404;
            }
        }

        public string Stats()
        {
            var times = _times.ToArray();
            Array.Sort(times);
            var n = times.Length;
            long first = n > 0 ? times[0] : 0, last = n > 0 ? times[^1] : 0;
            var rate = n > 1 && last > first ? (n - 1) / ((last - first) / 1e6) : 0;
            // Steady rate: arrivals between the 10th and 90th percentile over the time between them.
            double steady = 0;
            if (n >= 20)
            {
                int lo = n / 10, hi = n * 9 / 10;
                if (times[hi] > times[lo]) steady = (hi - lo) / ((times[hi] - times[lo]) / 1e6);
            }
            var distinct = _arrivals.Values.Count(t => t.Task.IsCompleted);
            var json = new StringBuilder("{");
            void Field(string name, object value) => json.Append(CultureInfo.InvariantCulture, $"\"{name}\":{value},");
            Field("count", n);
            Field("distinct", distinct);
            Field("duplicates", Interlocked.Read(ref _duplicates));
            Field("bad_signatures", Interlocked.Read(ref _badSignatures));
            Field("no_invoice", Interlocked.Read(ref _noInvoice));
            Field("first_us", first);
            Field("last_us", last);
            Field("rate_per_s", rate.ToString("F1", CultureInfo.InvariantCulture));
            Field("steady_rate_per_s", steady.ToString("F1", CultureInfo.InvariantCulture));
            json[^1] = '}';
            return json.ToString();
        }

        private static string? InvoiceOf(ReadOnlySpan<byte> body)
        {
            try
            {
                var reader = new Utf8JsonReader(body);
                var depth = 0;
                var inOrder = false;
                while (reader.Read())
                {
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.StartObject:
                        case JsonTokenType.StartArray:
                            depth++;
                            break;
                        case JsonTokenType.EndObject:
                        case JsonTokenType.EndArray:
                            depth--;
                            if (depth == 1) inOrder = false;
                            break;
                        case JsonTokenType.PropertyName when depth == 1:
                            inOrder = reader.ValueTextEquals("order"u8);
                            break;
                        case JsonTokenType.PropertyName when depth == 2 && inOrder && reader.ValueTextEquals("invoice_number"u8):
                            reader.Read();
                            return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    }
                }
            }
            catch (JsonException)
            {
            }
            return null;
        }
    }
}

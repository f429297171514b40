using System.Diagnostics.Metrics;
using Lunas.Protocol.Channels;

namespace Lunas.Server.Telemetry;

/// <summary>
/// Lunas's own instruments, on the one meter <c>Lunas</c>. A recording is one <c>Add</c> or <c>Record</c> with at most two
/// tags whose values are constants or catalogue strings: no formatting, no allocation, no lock of ours; with no listener
/// (metrics and OTLP both off) it returns at once. Callers count a state change only after the transaction that made it
/// committed, so a rolled-back, refused or replayed attempt is never counted.
/// </summary>
public sealed class LunasMetrics
{
    public const string MeterName = "Lunas";
    public const string ChannelTag = "lunas.channel";
    public const string RefundTypeTag = "lunas.refund.type";
    public const string OutcomeTag = "lunas.notification.outcome";
    public const string KindTag = "lunas.notification.kind";
    public const string ErrorTypeTag = "error.type";

    /// <summary>The channel of an order whose customer has not chosen one (an order offering several, before the choice).</summary>
    public const string NoChannel = "unselected";

    // Notification outcomes: a scheduled attempt ends delivered, with a retry scheduled, or given up (the schedule is
    // spent); a resend is delivered or failed.
    public const string Delivered = "delivered";
    public const string RetryScheduled = "retry_scheduled";
    public const string GivenUp = "given_up";
    public const string Failed = "failed";
    public const string Scheduled = "scheduled";
    public const string Resend = "resend";

    // error.type of a notification send that did not get a 2xx answer.
    public const string Timeout = "timeout";
    public const string HttpStatus = "http_status";
    public const string Transport = "transport";

    // Seconds: from half a millisecond (a SQLite commit on a fast disk) to ten seconds (a notification's default timeout).
    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly long[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    private readonly Meter _meter;
    private readonly Counter<long> _created, _paid, _failed, _expired, _cancelled, _refunded, _attempts;
    private readonly Histogram<double> _delivery, _batchDuration, _commitDuration;
    private readonly Histogram<long> _batchSize;

    public LunasMetrics(IMeterFactory factory)
    {
        _meter = factory.Create(MeterName);
        _created = Payments("created", "Checkout sessions created (a replayed Request-Id is not counted); lunas.channel is the order's only channel, else unselected");
        _paid = Payments("paid", "Payment attempts that succeeded (a card AUTHORIZE included)");
        _failed = Payments("failed", "Payment attempts that failed");
        _expired = Payments("expired", "Orders that expired unpaid");
        _cancelled = Payments("cancelled", "Orders cancelled by the merchant (Cancel Order)");
        _refunded = _meter.CreateCounter<long>("lunas.payments.refunded", "{refund}", "Refunds and card voids made, by lunas.refund.type");
        _attempts = _meter.CreateCounter<long>("lunas.notifications.attempts", "{attempt}",
            "Notification attempts recorded, by lunas.notification.outcome and lunas.notification.kind");
        _delivery = Seconds("lunas.notifications.delivery.duration", "Time from sending a notification to the receiver's answer (or the error); error.type when not 2xx");
        _batchDuration = Seconds("lunas.write_batch.duration", "Time one group-commit batch took, from opening its connection to its commit");
        _commitDuration = Seconds("lunas.write_batch.commit.duration", "Time a group-commit batch's COMMIT took (the fsync)");
        _batchSize = _meter.CreateHistogram("lunas.write_batch.size", "{write}", "Writes committed together in one transaction",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = BatchBuckets });
    }

    /// <param name="channel">The order's channel when it offers only one; null: <see cref="NoChannel"/>.</param>
    public void PaymentCreated(string? channel) => _created.Add(1, Channel(channel));

    public void PaymentPaid(string? channel) => _paid.Add(1, Channel(channel));

    public void PaymentFailed(string? channel) => _failed.Add(1, Channel(channel));

    public void PaymentExpired(string? channel) => _expired.Add(1, Channel(channel));

    public void PaymentCancelled(string? channel) => _cancelled.Add(1, Channel(channel));

    /// <param name="type">A constant: <c>void</c>, <c>refund</c> or <c>full_refund</c>.</param>
    public void PaymentRefunded(string? channel, string type)
        => _refunded.Add(1, Channel(channel), new KeyValuePair<string, object?>(RefundTypeTag, type));

    /// <param name="outcome"><see cref="Delivered"/>, <see cref="RetryScheduled"/>, <see cref="GivenUp"/> or <see cref="Failed"/>.</param>
    /// <param name="kind"><see cref="Scheduled"/> or <see cref="Resend"/>.</param>
    public void NotificationAttempt(string outcome, string kind)
        => _attempts.Add(1, new KeyValuePair<string, object?>(OutcomeTag, outcome), new KeyValuePair<string, object?>(KindTag, kind));

    /// <param name="errorType">Null for a 2xx answer; else <see cref="Timeout"/>, <see cref="HttpStatus"/> or <see cref="Transport"/>.</param>
    public void NotificationSent(TimeSpan elapsed, string? errorType)
    {
        if (errorType is null) _delivery.Record(elapsed.TotalSeconds);
        else _delivery.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(ErrorTypeTag, errorType));
    }

    public void WriteBatchCommitted(int writes, TimeSpan batch, TimeSpan commit)
    {
        _batchSize.Record(writes);
        _batchDuration.Record(batch.TotalSeconds);
        _commitDuration.Record(commit.TotalSeconds);
    }

    /// <summary>The writes waiting for a group-commit writer, read at each collection.</summary>
    public void ObserveQueuedWrites(Func<int> queued)
        => _meter.CreateObservableGauge("lunas.write_batch.queued", queued, "{write}", "Writes waiting for a group-commit writer");

    /// <summary>The catalogue's own string for the channel (so the set of values is the catalogue's), else <see cref="NoChannel"/>.</summary>
    private static KeyValuePair<string, object?> Channel(string? channel) => new(ChannelTag, PaymentMethods.Find(channel)?.Value ?? NoChannel);

    private Counter<long> Payments(string name, string description)
        => _meter.CreateCounter<long>("lunas.payments." + name, "{payment}", description);

    private Histogram<double> Seconds(string name, string description)
        => _meter.CreateHistogram(name, "s", description, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
}

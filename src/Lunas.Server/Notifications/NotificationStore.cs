using System.Data.Common;
using Lunas.Server.Payments;
using Lunas.Server.Storage;
using Lunas.Server.Telemetry;

namespace Lunas.Server.Notifications;

public sealed record NotificationRow(string NotificationId, string MerchantId, string SessionId, string InvoiceNumber, string Event,
    string? Url, string Body, string Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? FirstAttemptAt,
    DateTimeOffset NextAttemptAt)
{
    /// <summary>The sandbox fault this notification took (<see cref="NotificationFaults"/>), if any, and what is left of it.</summary>
    public string? Fault { get; init; }

    public int? FaultValue { get; init; }
}

/// <param name="AttemptNumber">The attempt's place among all of its notification's attempts (scheduled and resent),
/// given when it is recorded; 0 before that.</param>
public sealed record DeliveryAttempt(string AttemptId, string NotificationId, string RequestId, int AttemptNumber, string Kind,
    string Url, DateTimeOffset StartedAt, int? StatusCode, string? Error, int LatencyMs, string? ResponseExcerpt)
{
    public bool Delivered => StatusCode is >= 200 and < 300;

    /// <summary>The receiver did not answer in time (not stored; the dispatcher backs such a receiver off).</summary>
    public bool TimedOut { get; init; }

    /// <summary>The sandbox fault this attempt was part of (shown in the delivery log); null for a plain attempt.</summary>
    public string? Fault { get; init; }
}

/// <summary>The outbox table: lease claims, attempt records, the delivery log.</summary>
public sealed partial class NotificationStore(Database database, WriteBatcher batcher, TimeProvider clock, NotificationFaultStore faults,
    LunasMetrics metrics)
{
    private const string Columns = """
        notification_id, merchant_id, session_id, invoice_number, event, url, body, status, attempts, created_at,
        first_attempt_at, next_attempt_at, fault, fault_value
        """;

    /// <summary>
    /// Claims due notifications for <paramref name="lease"/>: another dispatcher (another process on the same database)
    /// skips them until the lease ends, so an attempt is never sent twice. A crashed holder's lease simply runs out.
    /// Rows going to <paramref name="skipUrls"/> (receivers this dispatcher is not sending more to now) stay unclaimed.
    /// </summary>
    public Task<IReadOnlyList<NotificationRow>> ClaimDueAsync(string claimId, int limit, TimeSpan lease, IReadOnlyCollection<string> skipUrls,
        CancellationToken cancellationToken)
        => batcher.WriteAsync(new IsolatedWrite<IReadOnlyList<NotificationRow>>(batch => ClaimDueAsync(batch, claimId, limit, lease, skipUrls)),
            cancellationToken);

    private async Task<IReadOnlyList<NotificationRow>> ClaimDueAsync(BatchContext batch, string claimId, int limit, TimeSpan lease,
        IReadOnlyCollection<string> skipUrls)
    {
        var now = clock.GetUtcNow();
        var skipLocked = database.Provider == DatabaseProvider.Postgres ? "FOR UPDATE SKIP LOCKED" : "";
        var skip = skipUrls.Count == 0 ? "" : $"AND url NOT IN ({Parameters("@u", skipUrls.Count)})";
        var claim = batch.Command($"""
            UPDATE notifications SET locked_until = @until, locked_by = @claim
            WHERE notification_id IN (
                SELECT notification_id FROM notifications
                WHERE status = 'PENDING' AND (locked_until IS NULL OR locked_until <= @now)
                  AND {MerchantClock.DueSql("next_attempt_at", "notifications.merchant_id", "@now")} {skip}
                ORDER BY next_attempt_at LIMIT @limit {skipLocked})
              AND status = 'PENDING' AND (locked_until IS NULL OR locked_until <= @now)
            RETURNING {Columns}
            """)
            .With("@until", (now + lease).ToUnixTimeMilliseconds()).With("@claim", claimId)
            .With("@now", now.ToUnixTimeMilliseconds()).With("@limit", limit);
        var i = 0;
        foreach (var url in skipUrls) claim.With("@u" + i++, url);
        return await faults.BindAsync(batch, await ReadRowsAsync(claim, CancellationToken.None), now);
    }

    /// <summary>
    /// Gives claimed rows back unsent: claimable again at once, or (a receiver backed off) postponed to
    /// <paramref name="until"/>, which also takes them out of every claim's scan until then. Attempts and first_attempt_at
    /// are untouched, so later retries stay where the schedule puts them.
    /// </summary>
    public Task ReleaseAsync(string claimId, IReadOnlyList<string> notificationIds, DateTimeOffset? until, CancellationToken cancellationToken)
        => batcher.WriteAsync(new IsolatedWrite<bool>(async batch =>
        {
            var release = batch.Command($"""
                UPDATE notifications SET locked_until = NULL, locked_by = NULL,
                    next_attempt_at = CASE WHEN next_attempt_at < @until THEN @until ELSE next_attempt_at END
                WHERE locked_by = @claim AND notification_id IN ({Parameters("@n", notificationIds.Count)})
                """).With("@until", until?.ToUnixTimeMilliseconds() ?? 0L).With("@claim", claimId);
            for (var i = 0; i < notificationIds.Count; i++) release.With("@n" + i, notificationIds[i]);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
            return true;
        }), cancellationToken);

    private static string Parameters(string prefix, int count) => string.Join(", ", Enumerable.Range(0, count).Select(i => prefix + i));

    /// <summary>
    /// Records a scheduled attempt and decides what comes next: delivered, a retry at its time, or failed. False when
    /// the claim's lease was lost (the attempt is recorded, the row left to whoever holds it now).
    /// </summary>
    /// <param name="sent">Every attempt made, in the order sent: <paramref name="attempt"/> and the copies a sandbox fault sent
    /// beside it (logged, not scheduled).</param>
    public Task<bool> RecordAsync(NotificationRow row, string claimId, DeliveryAttempt attempt, IReadOnlyList<TimeSpan> schedule,
        IReadOnlyList<DeliveryAttempt>? sent = null)
        => batcher.WriteAsync(new RecordWrite(row, claimId, attempt, schedule, sent ?? [attempt], faults, metrics), CancellationToken.None);

    /// <summary>
    /// One statement decides: the UPDATE reads the merchant's clock offset itself and holds the claim's lease in its
    /// condition, so on PostgreSQL a run of records sends all of their UPDATEs in one round trip and all of their attempt
    /// rows in one more (<see cref="PipelinedWrite{TResult}"/>).
    /// </summary>
    private sealed class RecordWrite(NotificationRow row, string claimId, DeliveryAttempt attempt, IReadOnlyList<TimeSpan> schedule,
        IReadOnlyList<DeliveryAttempt> sent, NotificationFaultStore faults, LunasMetrics metrics) : PipelinedWrite<bool>
    {
        private readonly int _done = row.Attempts + 1;

        // Delivered, or out of retries: FAILED (it is not sent again by schedule).
        private string Status => attempt.Delivered ? Outbox.Delivered : _done - 1 < schedule.Count ? Outbox.Pending : Outbox.Failed;

        protected internal override DbCommand FirstStatement(BatchContext batch)
        {
            // The schedule runs on the merchant's clock (its sandbox offset, read here by the statement itself), the attempt
            // log on the real one. The first attempt's time is the claimed row's, or this attempt's on the merchant's clock;
            // a retry is due that long after it, anything else keeps next_attempt_at at this attempt's start.
            // A resend may have been acknowledged while this attempt was in flight: DELIVERED stays DELIVERED.
            var retryAfter = Status == Outbox.Pending ? (long)schedule[_done - 1].TotalMilliseconds : -1L;
            return batch.Command("""
                UPDATE notifications SET attempts = attempts + 1, first_attempt_at = f.first_at,
                    status = CASE WHEN status = 'DELIVERED' THEN status ELSE @status END,
                    next_attempt_at = CASE WHEN @after < 0 THEN @started ELSE f.first_at + @after END,
                    locked_until = NULL, locked_by = NULL, fault_value = fault_value - @dropped
                FROM (SELECT CASE WHEN @first >= 0 THEN @first
                        ELSE @started + COALESCE((SELECT m.clock_offset_ms FROM merchants m WHERE m.client_id = @mid), 0) END AS first_at) f
                WHERE notification_id = @id AND locked_by = @claim
                """)
                .With("@first", row.FirstAttemptAt?.ToUnixTimeMilliseconds() ?? -1L)
                .With("@started", attempt.StartedAt.ToUnixTimeMilliseconds()).With("@mid", row.MerchantId)
                .With("@status", Status).With("@after", retryAfter)
                .With("@dropped", attempt.Fault == NotificationFaults.Drop ? 1 : 0)
                .With("@id", row.NotificationId).With("@claim", claimId);
        }

        protected internal override async Task<bool> ContinueAsync(BatchContext batch, int rows)
        {
            // The row is updated (and so locked) before the attempt is numbered: a resend recorded at the same moment
            // waits for this commit, then counts this attempt.
            var held = rows == 1;
            if (!held)
            {
                // The lease was lost: still lock the row for numbering, changing nothing.
                await batch.DeferAsync(batch.Command(LockRowSql).With("@id", row.NotificationId));
            }
            foreach (var a in sent)
            {
                await batch.DeferAsync(Attempt(batch.Command(InsertAttemptSql), a));
            }
            if (held && attempt.Delivered) await faults.ReleaseHeldAsync(batch, row, attempt.StartedAt);
            // A lost lease leaves the schedule to the new holder: this attempt is then only delivered or failed.
            var outcome = attempt.Delivered ? LunasMetrics.Delivered
                : !held ? LunasMetrics.Failed
                : Status == Outbox.Failed ? LunasMetrics.GivenUp : LunasMetrics.RetryScheduled;
            batch.AfterCommit(() => metrics.NotificationAttempt(outcome, LunasMetrics.Scheduled));
            return held;
        }
    }

    /// <summary>A resend: its own attempt; a success ends the retries, a failure leaves the schedule as it was.</summary>
    public Task RecordResendAsync(DeliveryAttempt attempt, CancellationToken cancellationToken)
        => batcher.WriteAsync(new IsolatedWrite<bool>(async batch =>
        {
            // Lock the row first so attempt numbers are given one at a time (see RecordWrite).
            await batch.Command(LockRowSql).With("@id", attempt.NotificationId).ExecuteNonQueryAsync(CancellationToken.None);
            await batch.DeferAsync(Attempt(batch.Command(InsertAttemptSql), attempt));
            if (attempt.Delivered)
            {
                await batch.Command(
                        "UPDATE notifications SET status = 'DELIVERED', first_attempt_at = COALESCE(first_attempt_at, @at) WHERE notification_id = @id")
                    .With("@id", attempt.NotificationId).With("@at", attempt.StartedAt.ToUnixTimeMilliseconds())
                    .ExecuteNonQueryAsync(CancellationToken.None);
            }
            batch.AfterCommit(() => metrics.NotificationAttempt(attempt.Delivered ? LunasMetrics.Delivered : LunasMetrics.Failed, LunasMetrics.Resend));
            return true;
        }), cancellationToken);

    // A no-op update: on PostgreSQL it takes the row lock; SQLite's write transaction already excludes other writers.
    private const string LockRowSql = "UPDATE notifications SET attempts = attempts WHERE notification_id = @id";

    private const string InsertAttemptSql = """
        INSERT INTO notification_attempts (attempt_id, notification_id, request_id, attempt_number, kind, url, started_at,
            status_code, error, latency_ms, response_excerpt, fault)
        VALUES (@id, @nid, @rid, (SELECT COUNT(*) + 1 FROM notification_attempts WHERE notification_id = @nid), @kind, @url, @at,
            @code, @error, @latency, @excerpt, @fault)
        """;

    private static DbCommand Attempt(DbCommand insert, DeliveryAttempt a)
        => insert
            .With("@id", a.AttemptId).With("@nid", a.NotificationId).With("@rid", a.RequestId).With("@kind", a.Kind)
            .With("@url", a.Url).With("@at", a.StartedAt.ToUnixTimeMilliseconds()).With("@code", a.StatusCode)
            .With("@error", a.Error).With("@latency", a.LatencyMs).With("@excerpt", a.ResponseExcerpt).With("@fault", a.Fault);

    /// <summary>
    /// The notifications of an invoice with their attempts, read by one statement so the two always agree (two reads
    /// could straddle a delivery and show its attempt beside the row's older state).
    /// </summary>
    public async Task<IReadOnlyList<(NotificationRow Row, IReadOnlyList<DeliveryAttempt> Attempts)>> ListForInvoiceAsync(
        string merchantId, string invoice, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"""
            SELECT n.notification_id, n.merchant_id, n.session_id, n.invoice_number, n.event, n.url, n.body, n.status, n.attempts,
                n.created_at, n.first_attempt_at, n.next_attempt_at, n.fault, n.fault_value,
                a.attempt_id, a.attempt_number, a.kind, a.url, a.started_at, a.status_code, a.error, a.latency_ms, a.response_excerpt,
                COALESCE(a.request_id, a.attempt_id), a.fault
            FROM notifications n LEFT JOIN notification_attempts a ON a.notification_id = n.notification_id
            WHERE n.merchant_id = @mid AND n.invoice_number = @inv
            ORDER BY n.created_at, n.notification_id, a.started_at, a.attempt_number
            """).With("@mid", merchantId).With("@inv", invoice);
        var result = new List<(NotificationRow, IReadOnlyList<DeliveryAttempt>)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        List<DeliveryAttempt>? attempts = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            if (result.Count == 0 || result[^1].Item1.NotificationId != id)
            {
                attempts = [];
                result.Add((ReadRow(reader), attempts));
            }
            if (!reader.IsDBNull(14))
            {
                attempts!.Add(new DeliveryAttempt(reader.GetString(14), id, reader.GetString(23), reader.GetInt32(15), reader.GetString(16), reader.GetString(17),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(18)), reader.IsDBNull(19) ? null : reader.GetInt32(19),
                    reader.IsDBNull(20) ? null : reader.GetString(20), reader.GetInt32(21), reader.IsDBNull(22) ? null : reader.GetString(22))
                {
                    Fault = reader.IsDBNull(24) ? null : reader.GetString(24),
                });
            }
        }
        return result;
    }

    public async Task<NotificationRow?> FindAsync(string merchantId, string notificationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {Columns} FROM notifications WHERE merchant_id = @mid AND notification_id = @id")
            .With("@mid", merchantId).With("@id", notificationId);
        return (await ReadRowsAsync(command, cancellationToken)).FirstOrDefault();
    }

    /// <summary>
    /// Gives an undeliverable notification the destination found now (the merchant set a URL since). It becomes FAILED,
    /// not PENDING: it has no schedule, and a successful resend makes it DELIVERED.
    /// </summary>
    public Task<bool> SetDestinationAsync(string notificationId, string url, CancellationToken cancellationToken)
        => batcher.WriteAsync(new IsolatedWrite<bool>(async batch => await batch.Command(
                    "UPDATE notifications SET url = @url, status = 'FAILED' WHERE notification_id = @id AND url IS NULL")
                .With("@url", url).With("@id", notificationId).ExecuteNonQueryAsync(CancellationToken.None) == 1),
            cancellationToken);

    private static async Task<IReadOnlyList<NotificationRow>> ReadRowsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var list = new List<NotificationRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(ReadRow(reader));
        }
        return list;
    }

    private static NotificationRow ReadRow(DbDataReader reader) => new(reader.GetString(0), reader.GetString(1), reader.GetString(2),
        reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6), reader.GetString(7),
        reader.GetInt32(8), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)),
        reader.IsDBNull(10) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(11)))
    {
        Fault = reader.IsDBNull(12) ? null : reader.GetString(12),
        FaultValue = reader.IsDBNull(13) ? null : reader.GetInt32(13),
    };
}

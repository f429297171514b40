using System.Data.Common;
using System.Text.Json;
using Lunas.Protocol.Channels;
using Lunas.Server.Storage;

namespace Lunas.Server.Payments;

/// <summary>
/// The payment lifecycle in SQL. Every state change is a conditional UPDATE whose row count decides, inside one
/// write transaction, so two payments racing on one order give one success.
/// </summary>
public sealed partial class PaymentStore(Database database, WriteBatcher batcher, TimeProvider clock, Notifications.Outbox outbox)
{
    private const string SessionColumns = """
        s.session_id, s.token_id, s.merchant_id, m.name, s.request_id, s.invoice_number, s.amount, s.status,
        s.order_status, s.channel, s.paid_attempt_id, s.payment_methods, s.created_at, s.expires_at,
        s.transaction_date, s.request_body, s.recovered_at, s.retry_closed,
        EXISTS (SELECT 1 FROM checkout_sessions p
                WHERE p.merchant_id = s.merchant_id AND p.invoice_number = s.invoice_number AND p.status = 'SUCCESS') AS invoice_paid
        """;

    private const string AttemptColumns = "attempt_id, session_id, channel, status, pay_code, details, created_at, completed_at";

    public Task<SessionRecord?> FindByTokenAsync(string tokenId, CancellationToken cancellationToken)
        => FindAsync("s.token_id = @key", ("@key", tokenId), cancellationToken);

    /// <summary>
    /// Just the status of a page's session, for the page's poll every two seconds: no request body, no join. A session
    /// due to expire goes the full way, so the poll also applies expiry.
    /// </summary>
    public async Task<(TransactionStatus Status, OrderStatus OrderStatus)?> FindStateByTokenAsync(string tokenId, CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = connection.Command(
            "SELECT status, order_status, expires_at, retry_closed FROM checkout_sessions WHERE token_id = @token").With("@token", tokenId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken)) return null;
            var status = StatusNames.ParseTransaction(reader.GetString(0));
            var due = reader.GetInt64(2) <= clock.GetUtcNow().ToUnixTimeMilliseconds()
                      && status is not (TransactionStatus.Success or TransactionStatus.Expired) && reader.GetInt64(3) == 0;
            if (!due) return (status, StatusNames.ParseOrder(reader.GetString(1)));
        }
        return await FindByTokenAsync(tokenId, cancellationToken) is { } session ? (session.Status, session.OrderStatus) : null;
    }

    /// <summary>The paid session of an invoice, else its newest one; or the session created with that Request-Id.</summary>
    public async Task<SessionRecord?> FindForMerchantAsync(string merchantId, string invoiceOrRequestId, CancellationToken cancellationToken)
        // Two lookups, each on its own index (an OR across the two columns would scan); the invoice wins.
        => await FindAsync("s.merchant_id = @mid AND s.invoice_number = @key", ("@key", invoiceOrRequestId), cancellationToken, ("@mid", merchantId))
           ?? await FindAsync("s.merchant_id = @mid AND s.request_id = @key", ("@key", invoiceOrRequestId), cancellationToken, ("@mid", merchantId));

    private async Task<SessionRecord?> FindAsync(string where, (string, object) key, CancellationToken cancellationToken,
        (string, object)? extra = null)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // A plain read first: status checks and page polls must not queue for SQLite's single writer.
        var session = await ReadSessionAsync(connection, null, where, key, extra, cancellationToken);
        if (session is null || !PaymentRules.IsDue(session, clock.GetUtcNow()))
        {
            return session;
        }
        // Due: expire it (if no one else has) and read again, in one write transaction.
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken);
        session = await ReadSessionAsync(connection, transaction, where, key, extra, cancellationToken);
        if (session is not null && PaymentRules.IsDue(session, clock.GetUtcNow()))
        {
            await ExpireIfDueAsync(connection, transaction, session, cancellationToken);
            session = await ReadSessionAsync(connection, transaction, where, key, extra, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return session;
    }

    public async Task<IReadOnlyList<AttemptRecord>> AttemptsAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {AttemptColumns} FROM payment_attempts WHERE session_id = @sid ORDER BY created_at, attempt_id")
            .With("@sid", sessionId);
        return await ReadAttemptsAsync(command, cancellationToken);
    }

    public async Task<AttemptRecord?> FindAttemptByCodeAsync(ChannelFamily family, string payCode, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("").With("@code", payCode);
        // channel IN (…) AND pay_code = … uses the unique (channel, pay_code) index instead of scanning every attempt.
        var channels = new List<string>();
        foreach (var method in PaymentMethods.All.Where(m => m.Family == family))
        {
            var name = "@c" + channels.Count;
            channels.Add(name);
            command.With(name, method.Value);
        }
        command.CommandText = $"""
            SELECT {AttemptColumns} FROM payment_attempts
            WHERE channel IN ({string.Join(", ", channels)}) AND pay_code = @code
            ORDER BY created_at DESC LIMIT 1
            """;
        return (await ReadAttemptsAsync(command, cancellationToken)).FirstOrDefault();
    }

    public async Task<SessionRecord?> FindBySessionIdAsync(string sessionId, CancellationToken cancellationToken)
        => await FindAsync("s.session_id = @key", ("@key", sessionId), cancellationToken);

    /// <summary>
    /// The customer (or the simulator on their behalf) picks a channel. A pending attempt of the same channel is
    /// reused, so a virtual-account number stays the same for the order.
    /// </summary>
    public Task<StepResult> ChooseChannelAsync(string sessionId, PaymentMethod method, CancellationToken cancellationToken)
        => batcher.WriteAsync(new IsolatedWrite<StepResult>(batch => ChooseChannelAsync(batch, sessionId, method)), cancellationToken);

    // Payment steps share the group-commit writer with create-payment: many steps, one fsync. Each runs in its own
    // savepoint, so a refusal found mid-way (batch.Discard) or a failure undoes only its own statements.
    private async Task<StepResult> ChooseChannelAsync(BatchContext batch, string sessionId, PaymentMethod method)
    {
        var (connection, transaction, cancellationToken) = (batch.Connection, batch.Transaction, CancellationToken.None);
        var session = await LoadForChangeAsync(connection, transaction, sessionId, cancellationToken);
        if (session is null) return new StepResult(Refusal.NotFound);
        var refusal = PaymentRules.CanPay(session, method);
        if (refusal != Refusal.None) return new StepResult(refusal, session);

        await using (var existing = connection.Command($"""
            SELECT {AttemptColumns} FROM payment_attempts
            WHERE session_id = @sid AND channel = @ch AND status = 'PENDING' ORDER BY created_at DESC LIMIT 1
            """, transaction).With("@sid", sessionId).With("@ch", method.Value))
        {
            var reuse = (await ReadAttemptsAsync(existing, cancellationToken)).FirstOrDefault();
            if (reuse is not null)
            {
                await SetChannelAsync(connection, transaction, session, method, cancellationToken);
                return new StepResult(Refusal.None, session, reuse);
            }
        }

        var now = clock.GetUtcNow();
        AttemptRecord? attempt = null;
        for (var tries = 0; attempt is null; tries++)
        {
            var candidate = new AttemptRecord(Guid.CreateVersion7(now).ToString("N"), sessionId, method.Value, TransactionStatus.Pending,
                PayCodes.New(method), new AttemptDetails(), now, null);
            await using var insert = connection.Command($"""
                INSERT INTO payment_attempts ({AttemptColumns})
                VALUES (@aid, @sid, @ch, 'PENDING', @code, @details, @now, NULL)
                ON CONFLICT (channel, pay_code) DO NOTHING
                """, transaction)
                .With("@aid", candidate.AttemptId).With("@sid", sessionId).With("@ch", method.Value)
                .With("@code", candidate.PayCode).With("@details", Serialize(candidate.Details))
                .With("@now", now.ToUnixTimeMilliseconds());
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                attempt = candidate;
            }
            else if (tries > 10)
            {
                throw new InvalidOperationException("Could not allocate a unique payment code.");
            }
        }
        await SetChannelAsync(connection, transaction, session, method, cancellationToken);
        return new StepResult(Refusal.None, session, attempt);
    }

    /// <summary>
    /// Ends an attempt: <c>SUCCESS</c>, <c>FAILED</c>, or <c>REDIRECT</c> (a 3-D Secure challenge is waiting).
    /// <paramref name="expectedAmount"/>, when given, must equal the order amount (a bank transfer of another amount is refused).
    /// </summary>
    public Task<StepResult> CompleteAsync(string attemptId, StepOutcome result, Action<AttemptDetails> describe,
        CancellationToken cancellationToken, long? expectedAmount = null)
        => AfterCompletionAsync(batcher.WriteAsync(new IsolatedWrite<StepResult>(
            batch => CompleteAsync(batch, attemptId, result, describe, expectedAmount)), cancellationToken), cancellationToken);

    /// <summary>
    /// Choose and complete in one step (card form, wallet approval, direct-debit OTP): one isolated write, so a refusal
    /// leaves no attempt behind and the customer waits for one commit, not two.
    /// </summary>
    public Task<StepResult> PayNowAsync(string sessionId, PaymentMethod method, StepOutcome result, Action<AttemptRecord, AttemptDetails> describe,
        CancellationToken cancellationToken)
        => AfterCompletionAsync(batcher.WriteAsync(new IsolatedWrite<StepResult>(async batch =>
        {
            var started = await ChooseChannelAsync(batch, sessionId, method);
            return started.Ok
                ? await CompleteAsync(batch, started.Attempt!.AttemptId, result, d => describe(started.Attempt, d), null)
                : started;
        }), cancellationToken), cancellationToken);

    private async Task<StepResult> AfterCompletionAsync(Task<StepResult> completion, CancellationToken cancellationToken)
    {
        var step = await completion;
        if (!step.Ok)
        {
            return step;
        }
        outbox.Wake();
        return step with { Session = await FindBySessionIdAsync(step.Session!.SessionId, cancellationToken) };
    }

    private async Task<StepResult> CompleteAsync(BatchContext batch, string attemptId, StepOutcome result, Action<AttemptDetails> describe,
        long? expectedAmount)
    {
        var (connection, transaction, cancellationToken) = (batch.Connection, batch.Transaction, CancellationToken.None);
        AttemptRecord? attempt;
        await using (var read = connection.Command($"SELECT {AttemptColumns} FROM payment_attempts WHERE attempt_id = @aid", transaction)
                         .With("@aid", attemptId))
        {
            attempt = (await ReadAttemptsAsync(read, cancellationToken)).FirstOrDefault();
        }
        if (attempt is null) return new StepResult(Refusal.NotFound);
        var session = await LoadForChangeAsync(connection, transaction, attempt.SessionId, cancellationToken);
        if (session is null) return new StepResult(Refusal.NotFound);
        if (attempt.Status is not (TransactionStatus.Pending or TransactionStatus.Redirect))
        {
            return new StepResult(session.Status == TransactionStatus.Success ? Refusal.AlreadyPaid : Refusal.NotPayable, session, attempt,
                $"this payment attempt is already {attempt.Status.Wire()}");
        }
        var refusal = PaymentRules.CanPay(session, attempt.Method);
        if (refusal != Refusal.None) return new StepResult(refusal, session, attempt);
        if (expectedAmount is { } amount && amount != session.Amount)
        {
            return new StepResult(Refusal.WrongAmount, session, attempt, $"amount {amount} does not match the order amount {session.Amount}");
        }

        var now = clock.GetUtcNow();
        describe(attempt.Details);
        var sessionUpdate = result switch
        {
            StepOutcome.Success => """
                UPDATE checkout_sessions SET status = 'SUCCESS', channel = @ch, paid_attempt_id = @aid, transaction_date = @now
                WHERE session_id = @sid AND status = @seen AND expires_at > @now
                  AND NOT EXISTS (SELECT 1 FROM checkout_sessions o
                                  WHERE o.merchant_id = @mid AND o.invoice_number = @inv AND o.status = 'SUCCESS')
                """,
            StepOutcome.Failed => """
                UPDATE checkout_sessions SET status = 'FAILED', channel = @ch, transaction_date = @now, retry_closed = @closed
                WHERE session_id = @sid AND status = @seen AND expires_at > @now
                """,
            StepOutcome.Redirect => """
                UPDATE checkout_sessions SET status = 'REDIRECT', channel = @ch
                WHERE session_id = @sid AND status = @seen AND expires_at > @now
                """,
        };
        // The update is conditional on the status this step saw. If a concurrent step changed it to another payable
        // status (a retry after FAILED, a new choice), look again and retry; otherwise refuse with the real reason.
        for (var tries = 0; ; tries++)
        {
            int changed;
            await using (var update = connection.Command(sessionUpdate, transaction)
                             .With("@ch", attempt.Channel).With("@aid", attempt.AttemptId).With("@now", now.ToUnixTimeMilliseconds())
                             .With("@sid", session.SessionId).With("@seen", session.Status.Wire()).With("@mid", session.MerchantId)
                             .With("@inv", session.InvoiceNumber).With("@closed", PaymentRules.ClosesOnFailure(session, attempt.Method) ? 1 : 0))
            {
                try
                {
                    changed = await update.ExecuteNonQueryAsync(cancellationToken);
                }
                catch (DbException ex) when (Database.IsUniqueViolation(ex))
                {
                    // Another session of this invoice was paid at the same moment (the partial unique index decided).
                    batch.Discard();
                    return new StepResult(Refusal.AlreadyPaid, session, attempt, "the invoice was paid through another session");
                }
            }
            if (changed == 1)
            {
                break;
            }
            var fresh = await ReadSessionAsync(connection, transaction, "s.session_id = @key", ("@key", session.SessionId), null, cancellationToken);
            var why = fresh is null ? Refusal.NotFound
                : PaymentRules.IsDue(fresh, clock.GetUtcNow()) ? Refusal.Expired : PaymentRules.CanPay(fresh, attempt.Method);
            if (why != Refusal.None || tries >= 2)
            {
                batch.Discard();
                return new StepResult(why == Refusal.None ? Refusal.Conflict : why, fresh ?? session, attempt,
                    why == Refusal.None ? "the order changed while this payment was being made; try again" : null);
            }
            session = fresh!;
        }
        await using (var finish = connection.Command("""
            UPDATE payment_attempts SET status = @status, details = @details, completed_at = @done
            WHERE attempt_id = @aid AND status IN ('PENDING', 'REDIRECT')
            """, transaction)
            .With("@status", result.Status().Wire()).With("@details", Serialize(attempt.Details))
            .With("@done", result == StepOutcome.Redirect ? null : now.ToUnixTimeMilliseconds()).With("@aid", attempt.AttemptId))
        {
            if (await finish.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                batch.Discard();
                return new StepResult(Refusal.Conflict, session, attempt, "the payment attempt changed while it was being completed");
            }
        }
        var updated = attempt with { Status = result.Status(), CompletedAt = result == StepOutcome.Redirect ? null : now };
        if (result != StepOutcome.Redirect)
        {
            var after = session with
            {
                Status = result.Status(), Channel = attempt.Channel, TransactionDate = now,
                RetryClosed = result == StepOutcome.Failed && PaymentRules.ClosesOnFailure(session, attempt.Method),
                PaidAttemptId = result == StepOutcome.Success ? attempt.AttemptId : session.PaidAttemptId,
            };
            await outbox.AddAsync(connection, transaction, after, updated, cancellationToken);
        }
        return new StepResult(Refusal.None, session, updated);
    }

    /// <summary>
    /// With <c>recover_abandoned_cart</c>, an expired order can be recovered until <c>expired_recovered_cart</c> minutes
    /// after it expired; it is then payable for that many minutes again. Once only.
    /// </summary>
    public async Task<StepResult> RecoverAsync(string sessionId, CancellationToken cancellationToken)
    {
        var step = await batcher.WriteAsync(new IsolatedWrite<StepResult>(batch => RecoverAsync(batch, sessionId)), cancellationToken);
        return step.Ok ? step with { Session = await FindBySessionIdAsync(sessionId, cancellationToken) } : step;
    }

    private async Task<StepResult> RecoverAsync(BatchContext batch, string sessionId)
    {
        var (connection, transaction, cancellationToken) = (batch.Connection, batch.Transaction, CancellationToken.None);
        var session = await LoadForChangeAsync(connection, transaction, sessionId, cancellationToken);
        if (session is null) return new StepResult(Refusal.NotFound);
        var window = PaymentRules.RecoveryWindow(session);
        var now = clock.GetUtcNow();
        if (!PaymentRules.IsRecoverable(session, now))
        {
            return new StepResult(Refusal.NotPayable, session, null, "this order cannot be recovered");
        }
        await using var update = connection.Command("""
            UPDATE checkout_sessions SET status = 'PENDING', order_status = 'ORDER_RECOVERED', expires_at = @until,
                transaction_date = NULL, recovered_at = @now
            WHERE session_id = @sid AND status = 'EXPIRED' AND recovered_at IS NULL
            """, transaction)
            .With("@until", (now + window!.Value).ToUnixTimeMilliseconds()).With("@now", now.ToUnixTimeMilliseconds()).With("@sid", sessionId);
        if (await update.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            batch.Discard();
            return new StepResult(Refusal.Conflict, session);
        }
        return new StepResult(Refusal.None, session);
    }

    private async Task SetChannelAsync(DbConnection connection, DbTransaction transaction, SessionRecord session,
        PaymentMethod method, CancellationToken cancellationToken)
    {
        // Choosing again after a failure (retry allowed) or leaving a 3-D Secure challenge returns the order to PENDING.
        await using var update = connection.Command("""
            UPDATE checkout_sessions SET channel = @ch, status = 'PENDING'
            WHERE session_id = @sid AND status IN ('PENDING', 'FAILED', 'REDIRECT')
            """, transaction).With("@ch", method.Value).With("@sid", session.SessionId);
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<SessionRecord?> LoadForChangeAsync(DbConnection connection, DbTransaction transaction, string sessionId,
        CancellationToken cancellationToken)
    {
        var session = await ReadSessionAsync(connection, transaction, "s.session_id = @key", ("@key", sessionId), null, cancellationToken);
        if (session is not null && PaymentRules.IsDue(session, clock.GetUtcNow()))
        {
            await ExpireIfDueAsync(connection, transaction, session, cancellationToken);
            session = await ReadSessionAsync(connection, transaction, "s.session_id = @key", ("@key", sessionId), null, cancellationToken);
        }
        return session;
    }

    /// <summary>Expiry is applied when a session is next touched (and by the sweeper); a late payment then finds it EXPIRED.</summary>
    private async Task<bool> ExpireIfDueAsync(DbConnection connection, DbTransaction transaction, SessionRecord session,
        CancellationToken cancellationToken)
    {
        if (!PaymentRules.IsDue(session, clock.GetUtcNow()))
        {
            return false;
        }
        var now = clock.GetUtcNow();
        await using var update = connection.Command("""
            UPDATE checkout_sessions SET status = 'EXPIRED', order_status = 'ORDER_EXPIRED', transaction_date = @now
            WHERE session_id = @sid AND status IN ('PENDING', 'FAILED', 'REDIRECT') AND retry_closed = 0 AND expires_at <= @now
            """, transaction).With("@now", now.ToUnixTimeMilliseconds()).With("@sid", session.SessionId);
        if (await update.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            return false;
        }
        AttemptRecord? latest;
        await using (var attempts = connection.Command(
            $"SELECT {AttemptColumns} FROM payment_attempts WHERE session_id = @sid ORDER BY created_at DESC, attempt_id DESC", transaction)
            .With("@sid", session.SessionId))
        {
            latest = (await ReadAttemptsAsync(attempts, cancellationToken)).FirstOrDefault(a => a.Channel == session.Channel);
        }
        if (session.InvoicePaid)
        {
            // Another session of this invoice was paid: this one closes quietly. An EXPIRED notification for the
            // invoice would tell the merchant to cancel an order it was paid for.
            return true;
        }
        var after = session with { Status = TransactionStatus.Expired, OrderStatus = OrderStatus.Expired, TransactionDate = now };
        // Not woken here (the commit is still ahead): the dispatcher's next poll, within a second, sends it.
        await outbox.AddAsync(connection, transaction, after, latest, cancellationToken);
        return true;
    }

    /// <summary>
    /// Expires every due session; returns how many. Each expiry is its own small isolated write through the group
    /// commit (no long transaction holding the writer or many row locks), page after page until none is due.
    /// </summary>
    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        const int page = 500;
        var count = 0;
        while (true)
        {
            var due = new List<string>();
            await using (var connection = await database.OpenAsync(cancellationToken))
            await using (var select = connection.Command("""
                SELECT session_id FROM checkout_sessions
                WHERE status IN ('PENDING', 'FAILED', 'REDIRECT') AND retry_closed = 0 AND expires_at <= @now
                ORDER BY expires_at LIMIT @page
                """).With("@now", clock.GetUtcNow().ToUnixTimeMilliseconds()).With("@page", page))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken)) due.Add(reader.GetString(0));
            }
            var expired = await Task.WhenAll(due.Select(sessionId => batcher.WriteAsync(new IsolatedWrite<bool>(async batch =>
            {
                var session = await ReadSessionAsync(batch.Connection, batch.Transaction, "s.session_id = @key", ("@key", sessionId), null,
                    CancellationToken.None);
                return session is not null && await ExpireIfDueAsync(batch.Connection, batch.Transaction, session, CancellationToken.None);
            }), cancellationToken)));
            count += expired.Count(e => e);
            if (due.Count < page || !expired.Any(e => e) || cancellationToken.IsCancellationRequested)
            {
                if (count > 0) outbox.Wake();
                return count;
            }
        }
    }

    private static async Task<SessionRecord?> ReadSessionAsync(DbConnection connection, DbTransaction? transaction, string where,
        (string Name, object Value) key, (string Name, object Value)? extra, CancellationToken cancellationToken)
    {
        await using var command = connection.Command($"""
            SELECT {SessionColumns}
            FROM checkout_sessions s JOIN merchants m ON m.client_id = s.merchant_id
            WHERE {where}
            ORDER BY CASE WHEN s.status = 'SUCCESS' THEN 0 ELSE 1 END, s.created_at DESC, s.session_id DESC LIMIT 1
            """, transaction).With(key.Name, key.Value);
        if (extra is { } e) command.With(e.Name, e.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new SessionRecord
        {
            SessionId = reader.GetString(0), TokenId = reader.GetString(1), MerchantId = reader.GetString(2),
            MerchantName = reader.GetString(3), RequestId = reader.GetString(4), InvoiceNumber = reader.GetString(5),
            Amount = reader.GetInt64(6), Status = StatusNames.ParseTransaction(reader.GetString(7)),
            OrderStatus = StatusNames.ParseOrder(reader.GetString(8)),
            Channel = reader.IsDBNull(9) ? null : reader.GetString(9), PaidAttemptId = reader.IsDBNull(10) ? null : reader.GetString(10),
            PaymentMethods = reader.GetString(11).Split(',', StringSplitOptions.RemoveEmptyEntries),
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(12)),
            ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(13)),
            TransactionDate = reader.IsDBNull(14) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(14)),
            RequestBody = reader.GetString(15),
            RecoveredAt = reader.IsDBNull(16) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(16)),
            RetryClosed = reader.GetInt64(17) != 0,
            InvoicePaid = Convert.ToBoolean(reader.GetValue(18), System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static async Task<IReadOnlyList<AttemptRecord>> ReadAttemptsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var list = new List<AttemptRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new AttemptRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                StatusNames.ParseTransaction(reader.GetString(3)),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                JsonSerializer.Deserialize(reader.GetString(5), PaymentJsonContext.Default.AttemptDetails) ?? new AttemptDetails(),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                reader.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7))));
        }
        return list;
    }

    private static string Serialize(AttemptDetails details) => JsonSerializer.Serialize(details, PaymentJsonContext.Default.AttemptDetails);
}

using System.Data.Common;
using Lunas.Protocol.Channels;
using Lunas.Server.Storage;

namespace Lunas.Server.Payments;

// The payment steps: choose a channel, complete an attempt, recover an expired order. Each is a conditional UPDATE
// whose row count decides, inside one write transaction.
public sealed partial class PaymentStore
{
    /// <summary>
    /// The customer (or the simulator on their behalf) picks a channel. A pending attempt of the same channel is
    /// reused, so a virtual-account number stays the same for the order.
    /// </summary>
    public Task<StepResult> ChooseChannelAsync(string sessionId, PaymentMethod method, CancellationToken cancellationToken)
        => batcher.WriteAsync(new IsolatedWrite<StepResult>(batch => ChooseChannelAsync(batch, sessionId, method)), cancellationToken);

    // Payment steps share the group-commit writer with create-payment: many steps, one fsync. Each runs in its own
    // savepoint, so a refusal found mid-way (batch.Discard) or a failure undoes only its own statements.
    // completing: the caller completes the attempt in the same write (PayNowAsync), whose session update sets the
    // channel and status itself, so the choice's own update would be overwritten before the commit: it is skipped.
    private async Task<StepResult> ChooseChannelAsync(BatchContext batch, string sessionId, PaymentMethod method, bool completing = false)
    {
        var cancellationToken = CancellationToken.None;
        var session = await LoadForChangeAsync(batch, sessionId);
        if (session is null) return new StepResult(Refusal.NotFound);
        var refusal = PaymentRules.CanPay(session, method);
        if (refusal != Refusal.None) return new StepResult(refusal, session);

        // A new attempt unless one of this channel is pending (then that one is reused, below): the common case, a first
        // choice, takes one statement instead of a look-up and an insert. The unique index on pending attempts (migration
        // 017) decides, a concurrent choice's attempt not yet committed included: the insert then waits for it. Any
        // unique conflict (that index, or a code already taken) is "nothing inserted", not a failure.
        var now = Now(session);
        AttemptRecord attempt;
        for (var tries = 0; ; tries++)
        {
            var candidate = new AttemptRecord(Guid.CreateVersion7(now).ToString("N"), sessionId, method.Value, TransactionStatus.Pending,
                codes is null ? PayCodes.New(method) : codes.New(method), new AttemptDetails(), now, null);
            var insert = batch.Command($"""
                INSERT INTO payment_attempts ({AttemptColumns})
                VALUES (@aid, @sid, @ch, 'PENDING', @code, @details, @now, NULL)
                ON CONFLICT DO NOTHING
                """)
                .With("@aid", candidate.AttemptId).With("@sid", sessionId).With("@ch", method.Value)
                .With("@code", candidate.PayCode).With("@details", Serialize(candidate.Details))
                .With("@now", now.ToUnixTimeMilliseconds());
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                attempt = candidate;
                break;
            }
            // Nothing inserted: a pending attempt of this channel exists (committed now, if it was a concurrent choice's),
            // or (rarely) the new code was taken.
            var existing = batch.Command($"""
                SELECT {AttemptColumns} FROM payment_attempts
                WHERE session_id = @sid AND channel = @ch AND status = 'PENDING'
                """).With("@sid", sessionId).With("@ch", method.Value);
            var reuse = (await ReadAttemptsAsync(existing, cancellationToken)).FirstOrDefault();
            if (reuse is not null)
            {
                if (!completing) await SetChannelAsync(batch, session, method);
                return new StepResult(Refusal.None, session, reuse);
            }
            if (tries >= MaxCodeTries - 1)
            {
                // Codes are random (11 or more digits), so this needs a near-full number space: answered 503, nothing kept.
                throw new StorageUnavailableException($"storage unavailable: no free payment code for {method.Value} was found in "
                    + $"{MaxCodeTries} tries; nothing was stored; retry after {NoFreeCodeRetrySeconds} s", NoFreeCodeRetrySeconds);
            }
        }
        if (!completing) await SetChannelAsync(batch, session, method);
        return new StepResult(Refusal.None, session, attempt);
    }

    /// <summary>New codes a choice tries when each one it draws is already another order's.</summary>
    internal const int MaxCodeTries = 12;

    private const int NoFreeCodeRetrySeconds = 1;

    /// <summary>
    /// Ends an attempt: <c>SUCCESS</c>, <c>FAILED</c>, or <c>REDIRECT</c> (a 3-D Secure challenge is waiting).
    /// <paramref name="expectedAmount"/>, when given, must equal the order amount (a bank transfer of another amount is refused).
    /// </summary>
    public Task<StepResult> CompleteAsync(string attemptId, StepOutcome result, Action<AttemptDetails> describe,
        CancellationToken cancellationToken, long? expectedAmount = null)
        => AfterCompletionAsync(batcher.WriteAsync(new IsolatedWrite<StepResult>(
            batch => CompleteAsync(batch, attemptId, result, describe, expectedAmount)), cancellationToken));

    /// <summary>
    /// Choose and complete in one step (card form, wallet approval, direct-debit OTP): one isolated write, so a refusal
    /// leaves no attempt behind and the customer waits for one commit, not two.
    /// </summary>
    public Task<StepResult> PayNowAsync(string sessionId, PaymentMethod method, StepOutcome result, Action<AttemptRecord, AttemptDetails> describe,
        CancellationToken cancellationToken)
        => AfterCompletionAsync(batcher.WriteAsync(new IsolatedWrite<StepResult>(async batch =>
        {
            // The attempt and session the choice just read and checked (CanPay) are completed as they are: reading
            // them again in the same savepoint would find the same rows.
            var started = await ChooseChannelAsync(batch, sessionId, method, completing: true);
            return started.Ok
                ? await FinishAsync(batch, started.Session!, started.Attempt!, result, d => describe(started.Attempt!, d))
                : started;
        }), cancellationToken));

    private async Task<StepResult> AfterCompletionAsync(Task<StepResult> completion)
    {
        var step = await completion;
        if (step.Ok) outbox.Wake();
        return step;
    }

    private async Task<StepResult> CompleteAsync(BatchContext batch, string attemptId, StepOutcome result, Action<AttemptDetails> describe,
        long? expectedAmount)
    {
        var check = await CheckCompletionAsync(batch, attemptId, expectedAmount);
        return check.Ok ? await FinishAsync(batch, check.Session!, check.Attempt!, result, describe) : check;
    }

    /// <summary>Completes an attempt already checked against its session: the session's update decides, then the attempt's.</summary>
    private async Task<StepResult> FinishAsync(BatchContext batch, SessionRecord checkedSession, AttemptRecord attempt, StepOutcome result,
        Action<AttemptDetails> describe)
    {
        var now = Now(checkedSession);
        describe(attempt.Details);
        var changed = await UpdateSessionAsync(batch, checkedSession, attempt, result, now);
        if (!changed.Ok)
        {
            batch.Discard();
            return changed;
        }
        var session = changed.Session!;
        var finish = batch.Command("""
            UPDATE payment_attempts SET status = @status, details = @details, completed_at = @done
            WHERE attempt_id = @aid AND status IN ('PENDING', 'REDIRECT')
            """)
            .With("@status", result.Status().Wire()).With("@details", Serialize(attempt.Details))
            .With("@done", result == StepOutcome.Redirect ? null : now.ToUnixTimeMilliseconds()).With("@aid", attempt.AttemptId);
        // Its row count is read after the session's read below, which it travels with (PostgreSQL: one round trip fewer);
        // a count other than 1 undoes the whole step, the notification with it.
        var finished = await batch.DeferCountedAsync(finish);
        var updated = attempt with { Status = result.Status(), CompletedAt = result == StepOutcome.Redirect ? null : now };
        if (result != StepOutcome.Redirect)
        {
            var after = session with
            {
                Status = result.Status(), Channel = attempt.Channel, TransactionDate = now,
                RetryClosed = result == StepOutcome.Failed && PaymentRules.ClosesOnFailure(session, attempt.Method),
                PaidAttemptId = result == StepOutcome.Success ? attempt.AttemptId : session.PaidAttemptId,
            };
            if (IsAuthorization(result, attempt))
            {
                after = after with { AuthorizeId = AuthorizeIdOf(attempt), HoldUntil = now + options.Cards.AuthorizeWindow };
            }
            await outbox.AddAsync(batch, after, updated, CancellationToken.None);
            var channel = attempt.Channel;
            batch.AfterCommit(result == StepOutcome.Success ? () => metrics.PaymentPaid(channel) : () => metrics.PaymentFailed(channel));
        }
        // The order as committed, read in the write with the batch's prepared statement (cheaper than a read after it).
        var committed = await ReadSessionAsync(batch, session.SessionId);
        if (finished.Value != 1)
        {
            batch.Discard();
            return new StepResult(Refusal.Conflict, session, attempt, "the payment attempt changed while it was being completed");
        }
        return new StepResult(Refusal.None, committed ?? session, updated);
    }

    /// <summary>The attempt and its session, if the attempt may be completed now; else the refusal.</summary>
    private async Task<StepResult> CheckCompletionAsync(BatchContext batch, string attemptId, long? expectedAmount)
    {
        var cancellationToken = CancellationToken.None;
        AttemptRecord? attempt;
        var read = batch.Command($"SELECT {AttemptColumns} FROM payment_attempts WHERE attempt_id = @aid")
            .With("@aid", attemptId);
        attempt = (await ReadAttemptsAsync(read, cancellationToken)).FirstOrDefault();
        if (attempt is null) return new StepResult(Refusal.NotFound);
        var session = await LoadForChangeAsync(batch, attempt.SessionId);
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
        return new StepResult(Refusal.None, session, attempt);
    }

    /// <summary>
    /// Moves the session to the outcome's status. The update is conditional on the status this step saw: if a
    /// concurrent step changed it to another payable status (a retry after FAILED, a new choice), look again and retry;
    /// otherwise refuse with the real reason (the caller discards the step).
    /// </summary>
    private async Task<StepResult> UpdateSessionAsync(BatchContext batch, SessionRecord session, AttemptRecord attempt, StepOutcome result,
        DateTimeOffset now)
    {
        var cancellationToken = CancellationToken.None;
        var authorize = IsAuthorization(result, attempt);
        // A unique violation below is the invoice's other session being paid, never a held-back statement's.
        await batch.FlushAsync();
        for (var tries = 0; ; tries++)
        {
            var update = batch.Command(SessionUpdateSql(result))
                .With("@ch", attempt.Channel).With("@aid", attempt.AttemptId).With("@now", now.ToUnixTimeMilliseconds())
                .With("@sid", session.SessionId).With("@seen", session.Status.Wire()).With("@mid", session.MerchantId)
                .With("@inv", session.InvoiceNumber).With("@closed", PaymentRules.ClosesOnFailure(session, attempt.Method) ? 1 : 0)
                .With("@auth", authorize ? AuthorizeIdOf(attempt) : null)
                .With("@hold", authorize ? (now + options.Cards.AuthorizeWindow).ToUnixTimeMilliseconds() : null)
                .With("@settles", authorize ? null : PaymentRules.SettlesAt(now, options.Cards.SettlementCutoff).ToUnixTimeMilliseconds());
            try
            {
                if (await update.ExecuteNonQueryAsync(cancellationToken) == 1) return new StepResult(Refusal.None, session, attempt);
            }
            catch (DbException ex) when (Database.IsUniqueViolation(ex))
            {
                // Another session of this invoice was paid at the same moment (the partial unique index decided).
                return new StepResult(Refusal.AlreadyPaid, session, attempt, "the invoice was paid through another session");
            }
            var fresh = await ReadSessionAsync(batch, session.SessionId);
            var why = fresh is null ? Refusal.NotFound
                : PaymentRules.IsDue(fresh, Now(fresh)) ? Refusal.Expired : PaymentRules.CanPay(fresh, attempt.Method);
            if (why != Refusal.None || tries >= 2)
            {
                return new StepResult(why == Refusal.None ? Refusal.Conflict : why, fresh ?? session, attempt,
                    why == Refusal.None ? "the order changed while this payment was being made; try again" : null);
            }
            session = fresh!;
        }
    }

    private static string SessionUpdateSql(StepOutcome result) => result switch
    {
        StepOutcome.Success => $"""
            UPDATE checkout_sessions SET status = 'SUCCESS', channel = @ch, paid_attempt_id = @aid, transaction_date = @now,
                authorize_id = @auth, hold_until = @hold, settles_at = @settles
            WHERE session_id = @sid AND status = @seen AND expires_at > @now
              AND NOT EXISTS (SELECT 1 FROM checkout_sessions o
                              WHERE o.merchant_id = @mid AND o.invoice_number = @inv AND o.status IN {PaymentRules.SettledSql})
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
        var cancellationToken = CancellationToken.None;
        var session = await LoadForChangeAsync(batch, sessionId);
        if (session is null) return new StepResult(Refusal.NotFound);
        var window = PaymentRules.RecoveryWindow(session);
        var now = Now(session);
        if (!PaymentRules.IsRecoverable(session, now))
        {
            return new StepResult(Refusal.NotPayable, session, null, "this order cannot be recovered");
        }
        var update = batch.Command("""
            UPDATE checkout_sessions SET status = 'PENDING', order_status = 'ORDER_RECOVERED', expires_at = @until,
                transaction_date = NULL, recovered_at = @now
            WHERE session_id = @sid AND status = 'EXPIRED' AND recovered_at IS NULL AND order_status <> 'ORDER_CANCELLED'
            """)
            .With("@until", (now + window!.Value).ToUnixTimeMilliseconds()).With("@now", now.ToUnixTimeMilliseconds()).With("@sid", sessionId);
        if (await update.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            batch.Discard();
            return new StepResult(Refusal.Conflict, session);
        }
        return new StepResult(Refusal.None, session);
    }

    private static async Task SetChannelAsync(BatchContext batch, SessionRecord session, PaymentMethod method)
    {
        // Choosing again after a failure (retry allowed) or leaving a 3-D Secure challenge returns the order to PENDING.
        var update = batch.Command("""
            UPDATE checkout_sessions SET channel = @ch, status = 'PENDING'
            WHERE session_id = @sid AND status IN ('PENDING', 'FAILED', 'REDIRECT')
            """).With("@ch", method.Value).With("@sid", session.SessionId);
        await batch.DeferAsync(update);
    }

    private async Task<SessionRecord?> LoadForChangeAsync(BatchContext batch, string sessionId)
    {
        var cancellationToken = CancellationToken.None;
        var session = await ReadSessionAsync(batch, sessionId);
        if (session is not null && NeedsTouch(session))
        {
            await ExpireIfDueAsync(batch, session);
            session = await ReadSessionAsync(batch, sessionId);
        }
        return session;
    }

    /// <summary>A card AUTHORIZE that succeeded: the funds are held, not yet captured.</summary>
    private static bool IsAuthorization(StepOutcome result, AttemptRecord attempt)
        => result == StepOutcome.Success && attempt.Method.Family == ChannelFamily.Card && attempt.Details.TransactionType == "AUTHORIZE";

    /// <summary>A card authorization's id: 17 digits, DOKU's shape, fixed by the attempt (so it needs no counter).</summary>
    public static string AuthorizeIdOf(AttemptRecord attempt)
        => (ulong.Parse(attempt.AttemptId.AsSpan(16, 16), System.Globalization.NumberStyles.HexNumber,
               System.Globalization.CultureInfo.InvariantCulture) % 100_000_000_000_000_000UL)
           .ToString("D17", System.Globalization.CultureInfo.InvariantCulture);
}

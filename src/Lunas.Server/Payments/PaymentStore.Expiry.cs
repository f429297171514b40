using System.Data.Common;
using Lunas.Protocol.Channels;
using Lunas.Server.Storage;

namespace Lunas.Server.Payments;

// Expiry: applied when a session is next touched, and by the ExpirySweeper for the sessions nobody touches.
public sealed partial class PaymentStore
{

    /// <summary>Expiry is applied when a session is next touched (and by the sweeper); a late payment then finds it EXPIRED.</summary>
    private async Task<bool> ExpireIfDueAsync(BatchContext batch, SessionRecord session)
    {
        var cancellationToken = CancellationToken.None;
        var now = Now(session);
        if (PaymentRules.HasLapsed(session, now))
        {
            return await LapseAsync(batch, session, cancellationToken);
        }
        if (!PaymentRules.IsDue(session, now))
        {
            return false;
        }
        var update = batch.Command("""
            UPDATE checkout_sessions SET status = 'EXPIRED', order_status = 'ORDER_EXPIRED', transaction_date = @now
            WHERE session_id = @sid AND status IN ('PENDING', 'FAILED', 'REDIRECT') AND retry_closed = 0 AND expires_at <= @now
            """).With("@now", now.ToUnixTimeMilliseconds()).With("@sid", session.SessionId);
        if (await update.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            return false;
        }
        batch.AfterCommit(() => metrics.PaymentExpired(session.Channel));
        AttemptRecord? latest;
        var attempts = batch.Command(
            $"SELECT {AttemptColumns} FROM payment_attempts WHERE session_id = @sid ORDER BY created_at DESC, attempt_id DESC")
            .With("@sid", session.SessionId);
        latest = (await ReadAttemptsAsync(attempts, cancellationToken)).FirstOrDefault(a => a.Channel == session.Channel);
        if (session.InvoicePaid)
        {
            // Another session of this invoice was paid: this one closes quietly. An EXPIRED notification for the
            // invoice would tell the merchant to cancel an order it was paid for.
            return true;
        }
        var after = session with { Status = TransactionStatus.Expired, OrderStatus = OrderStatus.Expired, TransactionDate = now };
        // Not woken here (the commit is still ahead): the dispatcher's next poll, within a second, sends it.
        await outbox.AddAsync(batch, after, latest, cancellationToken);
        return true;
    }

    /// <summary>A card hold never captured is released at the end of its window: VOIDED, with no notification.</summary>
    private async Task<bool> LapseAsync(BatchContext batch, SessionRecord session, CancellationToken cancellationToken)
    {
        var update = batch.Command("""
            UPDATE checkout_sessions SET status = 'VOIDED', transaction_date = hold_until, hold_until = NULL
            WHERE session_id = @sid AND status = 'SUCCESS' AND hold_until <= @now AND captured_amount IS NULL
            """).With("@now", Now(session).ToUnixTimeMilliseconds()).With("@sid", session.SessionId);
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The ids of at most <paramref name="limit"/> sessions due to expire (each on its merchant's clock), soonest first.</summary>
    public async Task<IReadOnlyList<string>> DueSessionIdsAsync(int limit, CancellationToken cancellationToken)
    {
        var due = new List<string>();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command($"""
            SELECT session_id FROM checkout_sessions
            WHERE status IN ('PENDING', 'FAILED', 'REDIRECT') AND retry_closed = 0
              AND {MerchantClock.DueSql("expires_at", "checkout_sessions.merchant_id", "@now")}
            ORDER BY expires_at LIMIT @limit
            """).With("@now", clocks.RealNow.ToUnixTimeMilliseconds()).With("@limit", limit);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) due.Add(reader.GetString(0));
        return due;
    }

    /// <summary>
    /// Expires one session if it is still due, as its own small isolated write through the group commit; true when
    /// this call expired it. The caller wakes the outbox after the commit.
    /// </summary>
    public Task<bool> ExpireAsync(string sessionId, CancellationToken cancellationToken)
        => batcher.WriteAsync(new IsolatedWrite<bool>(async batch =>
        {
            var session = await ReadSessionAsync(batch, sessionId);
            return session is not null && await ExpireIfDueAsync(batch, session);
        }), cancellationToken);

    /// <summary>
    /// Expire now (the simulator and the console): the order's expiry is brought forward to this moment and the usual
    /// expiry applies, with its notification. Refused when <see cref="PaymentRules.CanExpireNow"/> says so.
    /// </summary>
    public async Task<StepResult> ExpireNowAsync(string sessionId, CancellationToken cancellationToken)
    {
        var step = await batcher.WriteAsync(new IsolatedWrite<StepResult>(async batch =>
        {
            var session = await ReadSessionAsync(batch, sessionId);
            if (session is null) return new StepResult(Refusal.NotFound);
            var refusal = PaymentRules.CanExpireNow(session);
            if (refusal != Refusal.None) return new StepResult(refusal, session);
            var now = Now(session);
            await batch.Command("UPDATE checkout_sessions SET expires_at = @now WHERE session_id = @sid AND expires_at > @now")
                .With("@now", now.ToUnixTimeMilliseconds()).With("@sid", sessionId).ExecuteNonQueryAsync(CancellationToken.None);
            return await ExpireIfDueAsync(batch, session with { ExpiresAt = now })
                ? new StepResult(Refusal.None, session)
                : new StepResult(Refusal.Conflict, session, Message: "the order changed while it was being expired");
        }), cancellationToken);
        if (!step.Ok) return step;
        outbox.Wake();
        return step with { Session = await FindBySessionIdAsync(sessionId, cancellationToken) };
    }
}

using Lunas.Server.Storage;

namespace Lunas.Server.Payments;

/// <param name="Session">The session after the change (or as found, when refused).</param>
/// <param name="Adjustment">The capture, void or refund made; null for a cancel or a refusal.</param>
public sealed record AfterResult(AfterOutcome Outcome, SessionRecord? Session = null, Adjustment? Adjustment = null,
    AttemptRecord? Attempt = null, string? Type = null);

// After checkout: cancel, capture, void, refund. Each runs inside the caller's isolated write (the post-payment API puts
// its Request-Id row first in the same write), checks the rules, then makes one conditional UPDATE whose row count
// decides; a refusal writes nothing. A capture, void or refund adds its notification to the outbox in that transaction.
public sealed partial class PaymentStore
{
    public async Task<AfterResult> CancelAsync(BatchContext batch, string sessionId, bool convenienceStores)
    {
        var session = await LoadForChangeAsync(batch, sessionId);
        if (session is null) return new AfterResult(AfterOutcome.NotFound);
        var outcome = AfterPaymentRules.CanCancel(session, convenienceStores);
        if (outcome != AfterOutcome.Done) return new AfterResult(outcome, session);
        var changed = await ChangeAsync(batch, session, $"""
            UPDATE checkout_sessions SET status = 'EXPIRED', order_status = 'ORDER_CANCELLED', transaction_date = @now
            WHERE session_id = @sid AND status IN ('PENDING', 'FAILED', 'REDIRECT') AND retry_closed = 0 AND expires_at > @now
              AND NOT EXISTS (SELECT 1 FROM checkout_sessions o WHERE o.merchant_id = @mid AND o.invoice_number = @inv
                              AND o.status IN {PaymentRules.SettledSql})
            """, 0);
        if (changed is null) return await AgainAsync(batch, session, s => AfterPaymentRules.CanCancel(s, convenienceStores));
        batch.AfterCommit(() => metrics.PaymentCancelled(session.Channel));
        return changed;
    }

    public async Task<AfterResult> CaptureAsync(BatchContext batch, string sessionId, long? amount, string requestId)
    {
        var session = await LoadForChangeAsync(batch, sessionId);
        if (session is null) return new AfterResult(AfterOutcome.NotFound);
        var captured = amount ?? session.Amount;
        var outcome = AfterPaymentRules.CanCapture(session, captured);
        if (outcome != AfterOutcome.Done) return new AfterResult(outcome, session);
        var now = Now(session);
        var changed = await ChangeAsync(batch, session, """
            UPDATE checkout_sessions SET captured_amount = @amount, hold_until = NULL, settles_at = @settles, transaction_date = @now
            WHERE session_id = @sid AND status = 'SUCCESS' AND hold_until > @now AND captured_amount IS NULL
            """, captured, new Adjustment("CAPTURE", requestId, captured, now),
            PaymentRules.SettlesAt(now, options.Cards.SettlementCutoff).ToUnixTimeMilliseconds());
        return changed ?? await AgainAsync(batch, session, s => AfterPaymentRules.CanCapture(s, captured));
    }

    /// <summary>A card void (before settlement, full amount) or refund (after it, up to what is left).</summary>
    public async Task<AfterResult> RefundCardAsync(BatchContext batch, string sessionId, long amount, string requestId)
    {
        var session = await LoadForChangeAsync(batch, sessionId);
        if (session is null) return new AfterResult(AfterOutcome.NotFound);
        var now = Now(session);
        var (outcome, type) = AfterPaymentRules.CardRefund(session, amount, now);
        if (outcome != AfterOutcome.Done) return new AfterResult(outcome, session, Type: type);
        // The refundable balance is checked again by the UPDATE itself: two refunds racing past the paid amount, on any
        // instance, meet at this row's lock and the second finds its condition false.
        var sql = type == "VOID"
            ? """
              UPDATE checkout_sessions SET status = 'VOIDED', refunded_amount = @amount, hold_until = NULL, transaction_date = @now
              WHERE session_id = @sid AND status = 'SUCCESS' AND refunded_amount = 0 AND @amount = COALESCE(captured_amount, amount)
                AND (hold_until > @now OR (hold_until IS NULL AND settles_at > @now))
              """
            : """
              UPDATE checkout_sessions SET status = 'REFUNDED', refunded_amount = refunded_amount + @amount, transaction_date = @now
              WHERE session_id = @sid AND status IN ('SUCCESS', 'REFUNDED') AND hold_until IS NULL
                AND COALESCE(settles_at, 0) <= @now AND refunded_amount + @amount <= COALESCE(captured_amount, amount)
              """;
        var changed = await ChangeAsync(batch, session, sql, amount, new Adjustment(type!, requestId, amount, now));
        if (changed is null) return await AgainAsync(batch, session, s => AfterPaymentRules.CardRefund(s, amount, Now(s)).Outcome);
        var kind = type == "VOID" ? "void" : "refund";
        batch.AfterCommit(() => metrics.PaymentRefunded(session.Channel, kind));
        return changed;
    }

    /// <summary>A full refund of an e-money or paylater payment, once.</summary>
    public async Task<AfterResult> RefundFullAsync(BatchContext batch, string sessionId, string requestId)
    {
        var session = await LoadForChangeAsync(batch, sessionId);
        if (session is null) return new AfterResult(AfterOutcome.NotFound);
        var outcome = AfterPaymentRules.FullRefund(session);
        if (outcome != AfterOutcome.Done) return new AfterResult(outcome, session);
        var changed = await ChangeAsync(batch, session, """
            UPDATE checkout_sessions SET status = 'REFUNDED', refunded_amount = @amount, transaction_date = @now
            WHERE session_id = @sid AND status = 'SUCCESS' AND refunded_amount = 0
            """, session.PaidAmount, new Adjustment("FULL_REFUND", requestId, session.PaidAmount, Now(session)));
        if (changed is null) return await AgainAsync(batch, session, AfterPaymentRules.FullRefund);
        batch.AfterCommit(() => metrics.PaymentRefunded(session.Channel, "full_refund"));
        return changed;
    }

    /// <summary>Runs the conditional UPDATE; on one row, reads the session after it and queues the notification.</summary>
    private async Task<AfterResult?> ChangeAsync(BatchContext batch, SessionRecord session, string sql, long amount,
        Adjustment? adjustment = null, long? settles = null)
    {
        var update = batch.Command(sql)
            .With("@sid", session.SessionId).With("@now", Now(session).ToUnixTimeMilliseconds())
            .With("@amount", amount).With("@settles", settles)
            .With("@mid", session.MerchantId).With("@inv", session.InvoiceNumber);
        if (await update.ExecuteNonQueryAsync(CancellationToken.None) != 1) return null;
        var after = (await ReadSessionAsync(batch, session.SessionId))!;
        AttemptRecord? attempt = null;
        if (after.PaidAttemptId is { } paid)
        {
            var read = batch.Command($"SELECT {AttemptColumns} FROM payment_attempts WHERE attempt_id = @aid")
                .With("@aid", paid);
            attempt = (await ReadAttemptsAsync(read, CancellationToken.None)).FirstOrDefault();
        }
        if (adjustment is not null)
        {
            await outbox.AddAsync(batch, after, attempt, CancellationToken.None, adjustment);
        }
        return new AfterResult(AfterOutcome.Done, after, adjustment, attempt, adjustment?.Type);
    }

    /// <summary>The UPDATE found the order changed (a racing request won): the rules, asked again, say why.</summary>
    private async Task<AfterResult> AgainAsync(BatchContext batch, SessionRecord before, Func<SessionRecord, AfterOutcome> rule)
    {
        var fresh = await ReadSessionAsync(batch, before.SessionId);
        var outcome = fresh is null ? AfterOutcome.NotFound : rule(fresh);
        return new AfterResult(outcome == AfterOutcome.Done ? AfterOutcome.InvalidState : outcome, fresh ?? before);
    }
}

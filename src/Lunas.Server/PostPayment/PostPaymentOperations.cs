using Lunas.Protocol.Channels;
using Lunas.Protocol.Payments;
using Lunas.Server.Payments;

namespace Lunas.Server.PostPayment;

/// <summary>
/// The post-payment operations on a found order, each run once per (merchant, Request-Id): the API and the console both
/// call these, so the rules, the answer recorded for a repeat and the notification are the same through either door.
/// </summary>
public sealed class PostPaymentOperations(PaymentStore payments, OperationStore operations)
{
    public const string WalletAcquirerShopeePay = "SHOPEE_PAY";
    public const string WalletAcquirerAkulaku = "AKULAKU";

    public Task<(OperationReply? Reply, Replay? Replay)> CancelAsync(OperationKey key, SessionRecord session, bool convenienceStores,
        string? note)
        => operations.RunAsync(key.MerchantId, key.RequestId, key.Digest, "CANCEL", async batch =>
        {
            var result = await payments.CancelAsync(batch, session.SessionId, convenienceStores);
            var id = session.SessionId;
            return result.Outcome switch
            {
                AfterOutcome.Done => new OperationReply(200, DirectBodies.Cancelled(result.Session!, note), id, Applied: true),
                AfterOutcome.AlreadyCancelled => new OperationReply(200,
                    await OperationStore.CancelAnswerAsync(batch, id) ?? DirectBodies.Cancelled(result.Session!, note), id),
                AfterOutcome.AlreadyPaid => DirectBodies.Error(400, "ORDER_ALREADY_PAID", "Order already paid, cannot be cancelled", id),
                AfterOutcome.Expired => DirectBodies.Error(400, "ORDER_EXPIRED", "Order already expired, cannot be cancelled", id),
                AfterOutcome.ChannelNotSupported => DirectBodies.Error(400, "CHANNEL_NOT_SUPPORTED",
                    $"Orders paying through {result.Session!.Channel} cannot be cancelled", id),
                AfterOutcome.NotFound => DirectBodies.Error(404, DirectBodies.NotFound, $"order.invoice_number {session.InvoiceNumber} is not found"),
                _ => DirectBodies.Error(400, DirectBodies.InvalidState, "The order changed while it was being cancelled; try again", id),
            };
        });

    public Task<(OperationReply? Reply, Replay? Replay)> CaptureAsync(OperationKey key, SessionRecord session, long? amount)
        => operations.RunAsync(key.MerchantId, key.RequestId, key.Digest, "CAPTURE", async batch =>
        {
            var result = await payments.CaptureAsync(batch, session.SessionId, amount, key.RequestId);
            var (id, after) = (session.SessionId, result.Session ?? session);
            return result.Outcome switch
            {
                AfterOutcome.Done => new OperationReply(200, DirectBodies.Captured(after, result.Attempt, result.Adjustment!), id,
                    result.Adjustment, Applied: true),
                AfterOutcome.ExceedsRefundable => DirectBodies.Error(400, DirectBodies.InvalidParameter,
                    $"payment.capture_amount must be more than 0 and at most the authorized amount {after.Amount}", id),
                AfterOutcome.NotFound => DirectBodies.Error(404, DirectBodies.NotFound, $"payment.authorize_id {session.AuthorizeId} is not found"),
                _ => DirectBodies.Error(400, DirectBodies.InvalidState, after.CapturedAmount is not null
                    ? "Transaction already captured"
                    : $"Transaction is {PaymentEnvelope.ReportedStatus(after, null)}: the authorization was voided or has expired", id),
            };
        });

    /// <param name="original">The Request-Id the refund names (the checkout's, or a capture's); echoed in the answer.</param>
    public Task<(OperationReply? Reply, Replay? Replay)> RefundCardAsync(OperationKey key, SessionRecord session, string original, long amount)
        => operations.RunAsync(key.MerchantId, key.RequestId, key.Digest, "CARD_REFUND", async batch =>
        {
            var invoice = session.InvoiceNumber;
            var result = await payments.RefundCardAsync(batch, session.SessionId, amount, key.RequestId);
            var (id, after) = (session.SessionId, result.Session ?? session);
            return result.Outcome switch
            {
                AfterOutcome.Done => new OperationReply(200, DirectBodies.CardRefund(invoice, original, amount, result.Type!,
                    Cards.ApprovalCode(key.RequestId), null), id, result.Adjustment, Applied: true),
                AfterOutcome.VoidNeedsFullAmount => new OperationReply(200, DirectBodies.CardRefund(invoice, original, amount, "VOID",
                    null, $"The payment is not settled yet: only a void of the full amount {after.PaidAmount} is possible"), id),
                AfterOutcome.ExceedsRefundable => DirectBodies.Error(400, DirectBodies.InvalidParameter,
                    $"refund.amount exceeds refundable amount {Math.Max(0, after.PaidAmount - after.RefundedAmount)}", id),
                AfterOutcome.NotFound => DirectBodies.Error(404, DirectBodies.NotFound, $"order.invoice_number {invoice} is not found"),
                _ => DirectBodies.Error(400, DirectBodies.InvalidState, after.ChannelMethod?.Family != ChannelFamily.Card
                    ? "Only a paid card payment can be voided or refunded here"
                    : $"Transaction is {PaymentEnvelope.ReportedStatus(after, null)}, it cannot be voided or refunded", id),
            };
        });

    /// <summary>A full refund of a ShopeePay or Akulaku payment (<paramref name="acquirer"/> names which).</summary>
    public Task<(OperationReply? Reply, Replay? Replay)> RefundWalletAsync(OperationKey key, SessionRecord session, string acquirer)
        => operations.RunAsync(key.MerchantId, key.RequestId, key.Digest, acquirer + "_REFUND", async batch =>
        {
            var result = await payments.RefundFullAsync(batch, session.SessionId, key.RequestId);
            var (id, after) = (session.SessionId, result.Session ?? session);
            return result.Outcome switch
            {
                AfterOutcome.Done => new OperationReply(200, DirectBodies.FullRefund(after, result.Adjustment!), id, result.Adjustment,
                    Applied: true),
                AfterOutcome.AlreadyRefunded => DirectBodies.Error(400, DirectBodies.InvalidState, "Transaction already refunded", id),
                _ => DirectBodies.Error(400, DirectBodies.InvalidState,
                    $"Transaction is {PaymentEnvelope.ReportedStatus(after, null)}, it cannot be refunded", id),
            };
        });

    /// <summary>Whether a wallet refund applies to this acquirer (the ones DOKU refunds in full on their own paths).</summary>
    public static bool IsRefundableWallet(string? acquirer) => acquirer is WalletAcquirerShopeePay or WalletAcquirerAkulaku;
}

/// <summary>Who asks, under which Request-Id, with which body digest (a repeat with another body is refused).</summary>
public readonly record struct OperationKey(string MerchantId, string RequestId, string Digest);

using Lunas.Protocol.Channels;

namespace Lunas.Server.Payments;

/// <summary>
/// What may be paid, retried, recovered and expired: pure functions of a session, a channel and the time, so the store
/// (which applies them in SQL transactions), the page and the simulator ask the same questions and get one answer.
/// </summary>
public static class PaymentRules
{
    /// <summary>Whether <paramref name="method"/> may be paid on <paramref name="session"/> now, else why not.</summary>
    public static Refusal CanPay(SessionRecord session, PaymentMethod method)
    {
        if (session.OrderStatus == OrderStatus.Cancelled) return Refusal.Cancelled;
        if (session.Status is TransactionStatus.Success or TransactionStatus.Voided or TransactionStatus.Refunded || session.InvoicePaid)
            return Refusal.AlreadyPaid;
        if (session.Status == TransactionStatus.Expired) return Refusal.Expired;
        if (!PayableMethods(session).Contains(method.Value)) return Refusal.ChannelNotAllowed;
        if (session.Status == TransactionStatus.Failed && session.RetryClosed) return Refusal.RetryDisabled;
        return Refusal.None;
    }

    /// <summary>The statuses that settle an invoice (one session at most, a partial unique index says): SQL list.</summary>
    public const string SettledSql = "('SUCCESS', 'VOIDED', 'REFUNDED')";

    /// <summary>Whether the order may be expired ahead of its time (simulator, console), else why not.</summary>
    public static Refusal CanExpireNow(SessionRecord session)
    {
        if (session.Status == TransactionStatus.Success || session.InvoicePaid) return Refusal.AlreadyPaid;
        if (session.Status == TransactionStatus.Expired) return Refusal.Expired;
        if (session.RetryClosed) return Refusal.RetryDisabled;
        return Refusal.None;
    }

    /// <summary>Past its expiry and still open (not paid, not expired, not closed by a final failure).</summary>
    public static bool IsDue(SessionRecord session, DateTimeOffset now)
        => session.ExpiresAt <= now && IsOpen(session.Status) && !session.RetryClosed;

    /// <summary>Not yet paid, expired, voided or refunded.</summary>
    public static bool IsOpen(TransactionStatus status)
        => status is TransactionStatus.Pending or TransactionStatus.Failed or TransactionStatus.Redirect;

    /// <summary>A card authorization never captured within <c>Lunas:Cards:AuthorizeWindow</c>: it is voided.</summary>
    public static bool HasLapsed(SessionRecord session, DateTimeOffset now) => session.IsAuthorized && session.HoldUntil <= now;

    /// <summary>The first <paramref name="cutoff"/> (a time of day in WIB) after <paramref name="paidAt"/>: settlement.</summary>
    public static DateTimeOffset SettlesAt(DateTimeOffset paidAt, TimeSpan cutoff)
    {
        var wib = paidAt.ToOffset(Lunas.Protocol.Wire.DokuTime.Wib);
        var at = new DateTimeOffset(wib.Date + cutoff, wib.Offset);
        return at > wib ? at : at.AddDays(1);
    }

    /// <summary>Expired, never recovered, with recover_abandoned_cart, and still inside the recovery window.</summary>
    public static bool IsRecoverable(SessionRecord session, DateTimeOffset now)
        => session.Status == TransactionStatus.Expired && session.OrderStatus != OrderStatus.Cancelled && session.RecoveredAt is null
           && !session.InvoicePaid
           && RecoveryWindow(session) is { } window && now < session.ExpiresAt + window;

    /// <summary>
    /// How long after expiry the order can be recovered: <c>expired_recovered_cart</c> minutes, when the order asked for
    /// <c>recover_abandoned_cart</c> and offers a channel it applies to (virtual account, convenience store, card).
    /// Once recovered, the order is payable for that many minutes again.
    /// </summary>
    public static TimeSpan? RecoveryWindow(SessionRecord session)
    {
        var order = session.Request.Order;
        return order.RecoverAbandonedCart == true && order.ExpiredRecoveredCart is > 0
               && session.PaymentMethods.Any(m => PaymentMethods.Find(m) is { } method && IsRecoverableChannel(method))
            ? TimeSpan.FromMinutes(order.ExpiredRecoveredCart.Value)
            : null;
    }

    /// <summary>
    /// The channels the customer may pay with now: all the order offers, except after a recovery, which applies only to
    /// virtual accounts, convenience stores and card (the seed: recover_abandoned_cart is "only applicable for VA, O2O,
    /// and Credit Card").
    /// </summary>
    public static IReadOnlyList<string> PayableMethods(SessionRecord session)
        => session.OrderStatus == OrderStatus.Recovered
            ? session.PaymentMethods.Where(m => PaymentMethods.Find(m) is { } method && IsRecoverableChannel(method)).ToList()
            : session.PaymentMethods;

    /// <summary>A channel through which an expired order can be recovered and paid.</summary>
    public static bool IsRecoverableChannel(PaymentMethod method)
        => method.Family is ChannelFamily.VirtualAccount or ChannelFamily.ConvenienceStore || method.Value == "CREDIT_CARD";

    /// <summary>Whether a failure on <paramref name="method"/> would close the order to retries.</summary>
    public static bool ClosesOnFailure(SessionRecord session, PaymentMethod method)
        => session.Request.Order.DisableRetryPayment == true && HonoursDisableRetry(method);

    /// <summary>
    /// Whether <c>order.disable_retry_payment</c> applies to a failure on this channel: the seed limits it to Credit
    /// Card, DOKU Wallet, Akulaku, OVO and ShopeePay. After a failure on any other channel the customer may choose again.
    /// </summary>
    public static bool HonoursDisableRetry(PaymentMethod method)
        => method.Value is "CREDIT_CARD" or "EMONEY_DOKU" or "PEER_TO_PEER_AKULAKU" or "EMONEY_OVO" or "EMONEY_SHOPEE_PAY" or "EMONEY_SHOPEEPAY";
}

using Lunas.Protocol.Channels;

namespace Lunas.Server.Payments;

/// <summary>Why a cancel, capture or refund was refused (or how it ended); the post-payment API maps each to DOKU's answer.</summary>
public enum AfterOutcome
{
    Done,
    AlreadyCancelled,
    NotFound,
    AlreadyPaid,
    Expired,
    ChannelNotSupported,
    InvalidState,
    ExceedsRefundable,
    AlreadyRefunded,
    VoidNeedsFullAmount,
}

/// <summary>
/// What may be cancelled, captured, voided and refunded (post-payment spec, "Decisions for Lunas"): pure functions of a
/// session, the amount and the time, applied by <see cref="PaymentStore"/> before its conditional UPDATEs.
/// </summary>
public static class AfterPaymentRules
{
    /// <summary>Virtual accounts DOKU does not cancel.</summary>
    private static readonly string[] UncancellableVaBanks = ["BTN", "BNC", "BPD", "OCBC"];

    public static AfterOutcome CanCancel(SessionRecord session, bool convenienceStores)
    {
        if (session.OrderStatus == OrderStatus.Cancelled) return AfterOutcome.AlreadyCancelled;
        if (session.InvoicePaid || !PaymentRules.IsOpen(session.Status) && session.Status != TransactionStatus.Expired)
            return AfterOutcome.AlreadyPaid;
        if (session.Status == TransactionStatus.Expired || session.RetryClosed) return AfterOutcome.Expired;
        return session.ChannelMethod is not { } method || IsCancellableChannel(method, convenienceStores)
            ? AfterOutcome.Done : AfterOutcome.ChannelNotSupported;
    }

    /// <summary>VA (but BTN, BNC, BPD, OCBC), QRIS, and convenience stores when the merchant allows it.</summary>
    public static bool IsCancellableChannel(PaymentMethod method, bool convenienceStores) => method.Family switch
    {
        ChannelFamily.VirtualAccount => !UncancellableVaBanks.Any(bank => method.AcquirerId.StartsWith(bank, StringComparison.Ordinal)),
        ChannelFamily.Qris => true,
        ChannelFamily.ConvenienceStore => convenienceStores,
        _ => false,
    };

    public static AfterOutcome CanCapture(SessionRecord session, long amount)
    {
        if (session.CapturedAmount is not null) return AfterOutcome.InvalidState;
        if (!session.IsAuthorized) return AfterOutcome.InvalidState;
        return amount <= 0 || amount > session.Amount ? AfterOutcome.ExceedsRefundable : AfterOutcome.Done;
    }

    /// <summary>
    /// A card refund of <paramref name="amount"/>: before the settlement cut-off (or while only authorized) a void of the
    /// full paid amount; after it a refund of at most what is left.
    /// </summary>
    public static (AfterOutcome Outcome, string? Type) CardRefund(SessionRecord session, long amount, DateTimeOffset now)
    {
        if (session.ChannelMethod?.Family != ChannelFamily.Card) return (AfterOutcome.InvalidState, null);
        if (session.Status is not (TransactionStatus.Success or TransactionStatus.Refunded)) return (AfterOutcome.InvalidState, null);
        if (amount <= 0 || amount > session.PaidAmount - session.RefundedAmount) return (AfterOutcome.ExceedsRefundable, null);
        if (!IsSettled(session, now))
        {
            return amount == session.PaidAmount ? (AfterOutcome.Done, "VOID") : (AfterOutcome.VoidNeedsFullAmount, "VOID");
        }
        return (AfterOutcome.Done, amount == session.PaidAmount ? "FULL_REFUND" : "PARTIAL_REFUND");
    }

    /// <summary>Past the settlement cut-off of its sale or capture; an authorization that is still held never is.</summary>
    public static bool IsSettled(SessionRecord session, DateTimeOffset now)
        => !session.IsAuthorized && (session.SettlesAt is not { } at || at <= now);

    /// <summary>E-money and paylater refunds are full only, once.</summary>
    public static AfterOutcome FullRefund(SessionRecord session) => session.Status switch
    {
        TransactionStatus.Success => AfterOutcome.Done,
        TransactionStatus.Refunded => AfterOutcome.AlreadyRefunded,
        _ => AfterOutcome.InvalidState,
    };
}

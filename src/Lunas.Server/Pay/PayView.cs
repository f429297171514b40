using Lunas.Protocol.Channels;
using Lunas.Protocol.Checkout;
using Lunas.Server.Payments;

namespace Lunas.Server.Pay;

public enum PayScreen
{
    Choose,
    Instructions,
    CardForm,
    Approval,
    Otp,
    Challenge,
    Success,
    Failed,
    Expired,
}

/// <summary>Everything the page renders, decided by the endpoint; the component only draws it.</summary>
public sealed class PayView
{
    public required SessionRecord Session { get; init; }
    public required Texts T { get; init; }
    public required PayScreen Screen { get; init; }
    public required string BasePath { get; init; }
    public required DateTimeOffset Now { get; init; }
    public PaymentMethod? Method { get; init; }
    public AttemptRecord? Attempt { get; init; }
    public IReadOnlyList<string> Errors { get; init; } = [];
    public string? QrSvg { get; init; }
    public string? QrPayload { get; init; }
    public IReadOnlyList<int> Tenors { get; init; } = [];
    public bool CanChooseAgain { get; init; }
    public bool CanRecover { get; init; }

    public CheckoutRequest Request => Session.Request;

    public string Amount => Texts.Rupiah(Session.Amount);

    /// <summary>The page's "Back to merchant": callback_url on the main page; callback_url_result, if given, on the result page.</summary>
    public string? BackUrl => Screen is PayScreen.Success or PayScreen.Failed or PayScreen.Expired
        ? Request.Order.CallbackUrlResult ?? Request.Order.CallbackUrl
        : Request.Order.CallbackUrl;

    /// <summary>With <c>auto_redirect</c>, a final result page goes back to the merchant by itself.</summary>
    public bool AutoRedirect => Request.Order.AutoRedirect == true && BackUrl is not null
                                && (Screen == PayScreen.Success || (Screen == PayScreen.Failed && !CanChooseAgain)
                                    || (Screen == PayScreen.Expired && !CanRecover));

    public IEnumerable<IGrouping<ChannelFamily, PaymentMethod>> Groups => Session.PayableMethods
        .Select(PaymentMethods.Find).OfType<PaymentMethod>()
        .GroupBy(m => m.Family)
        .OrderBy(g => g.Key);

    /// <summary>Methods whose flow is a code to pay (created by a POST, so a prefetch never makes one).</summary>
    public static bool IsCodeFamily(ChannelFamily family) => family is ChannelFamily.VirtualAccount or ChannelFamily.ConvenienceStore or ChannelFamily.Qris;

    public bool Authorized => Session.IsAuthorized;

    /// <summary>The title of a closed order: cancelled by the merchant, voided, refunded, or expired.</summary>
    public string ClosedTitle => Session.OrderStatus == OrderStatus.Cancelled ? T.Cancelled
        : Session.Status == TransactionStatus.Voided ? T.Voided
        : Session.Status == TransactionStatus.Refunded ? T.Refunded
        : T.Expired;
}

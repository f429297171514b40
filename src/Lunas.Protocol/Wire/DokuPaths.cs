namespace Lunas.Protocol.Wire;

/// <summary>The paths of the DOKU Checkout API that Lunas serves and the SDK calls.</summary>
public static class DokuPaths
{
    /// <summary><c>POST</c>: create a checkout payment.</summary>
    public const string CreatePayment = "/checkout/v1/payment";

    /// <summary><c>GET</c> this plus the invoice number or Request-Id: the order's status.</summary>
    public const string StatusPrefix = "/orders/v1/status/";

    /// <summary>The hosted checkout page: this plus the token id.</summary>
    public const string CheckoutPagePrefix = "/checkout-link-v2/";

    /// <summary><c>POST</c>: cancel an unpaid Checkout order (invalidates its payment link).</summary>
    public const string CancelOrder = "/checkout/v3/cancellations";

    /// <summary><c>POST</c>: capture a card authorization (full or partial).</summary>
    public const string CardCapture = "/credit-card/capture";

    /// <summary><c>POST</c>: void or refund a card payment.</summary>
    public const string CardRefund = "/cancellation/credit-card/refund";

    /// <summary><c>POST</c>: the same card refund at the path DOKU's Postman collection calls.</summary>
    public const string CardRefundPostman = "/credit-card/v1/cancellation/credit-card/refund";

    /// <summary><c>POST</c>: refund a ShopeePay payment in full.</summary>
    public const string ShopeePayRefund = "/shopeepay-emoney/v2/refund";

    /// <summary><c>POST</c>: refund an Akulaku paylater payment in full.</summary>
    public const string AkulakuRefund = "/akulaku-peer-to-peer/v2/refund";
}

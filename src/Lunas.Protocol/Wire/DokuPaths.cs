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
}

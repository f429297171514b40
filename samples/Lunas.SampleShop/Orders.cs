using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using Lunas.Client;

namespace Lunas.SampleShop;

/// <summary>The one product the shop sells.</summary>
public static class Catalog
{
    public const string Sku = "KOPI-GAYO-250";
    public const string Name = "Kopi Gayo 250 g";
    public const string Category = "food-and-beverage";
    public const long Price = 85_000;
}

public static class OrderStatus
{
    public const string Pending = "PENDING";
    public const string Paid = "PAID";
    public const string Expired = "EXPIRED";
    public const string Cancelled = "CANCELLED";
    public const string Refunded = "REFUNDED";
}

public sealed class Order
{
    public required string InvoiceNumber { get; init; }
    public required long Amount { get; init; }
    public required int Quantity { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string? RequestId { get; set; }
    public string? PaymentUrl { get; set; }
    public string Status { get; set; } = OrderStatus.Pending;
    public string? Channel { get; set; }
    public DateTimeOffset? PaidAt { get; set; }
    public string? LastEvent { get; set; }
}

/// <summary>Orders in memory: enough for a sample (a real shop keeps them in its database).</summary>
public sealed class OrderBook(TimeProvider clock, ILogger<OrderBook> logger)
{
    private readonly ConcurrentDictionary<string, Order> _orders = new(StringComparer.Ordinal);

    public void Add(Order order) => _orders[order.InvoiceNumber] = order;

    public Order? Find(string invoiceNumber) => _orders.GetValueOrDefault(invoiceNumber);

    /// <summary>Sets a status the shop learnt from its own call (a cancel or a refund DOKU confirmed).</summary>
    public void Set(Order order, string status, string lastEvent)
    {
        lock (order)
        {
            order.Status = status;
            order.LastEvent = lastEvent;
        }
    }

    public IReadOnlyList<Order> All() => _orders.Values.OrderByDescending(o => o.CreatedAt).ToList();

    /// <summary>
    /// Applies what DOKU says about a payment (a notification or a status check). Idempotent: DOKU may deliver a
    /// notification more than once. An amount that differs from the order's is never taken as payment.
    /// </summary>
    public void Apply(DokuPaymentEnvelope payment, string source)
    {
        var order = Find(payment.Order.InvoiceNumber);
        if (order is null)
        {
            logger.LogWarning("{Source} for unknown invoice {Invoice} ignored", source, payment.Order.InvoiceNumber);
            return;
        }
        lock (order)
        {
            order.LastEvent = $"{source}: {payment.Transaction.Status} via {payment.Channel?.Id ?? "-"}";
            if (payment.IsRefundedOrVoided && order.Status == OrderStatus.Paid)
            {
                order.Status = OrderStatus.Refunded;
                return;
            }
            if (payment.IsCancelled && order.Status == OrderStatus.Pending)
            {
                order.Status = OrderStatus.Cancelled;
                return;
            }
            if (order.Status != OrderStatus.Pending)
            {
                return;
            }
            if (payment.IsPaid)
            {
                if (payment.Order.Amount != order.Amount)
                {
                    logger.LogWarning("{Source} for {Invoice} says paid {Paid} but the order is {Amount}: not marked paid",
                        source, order.InvoiceNumber, payment.Order.Amount, order.Amount);
                    return;
                }
                order.Status = OrderStatus.Paid;
                order.Channel = payment.Channel?.Id;
                order.PaidAt = clock.GetUtcNow();
                logger.LogInformation("Order {Invoice} paid via {Channel} ({Source})", order.InvoiceNumber, order.Channel, source);
            }
            else if (payment.Transaction.Status == DokuTransactionStatus.Expired)
            {
                order.Status = OrderStatus.Expired;
            }
        }
    }
}

public sealed record OrderView(
    [property: JsonPropertyName("invoice_number")] string InvoiceNumber,
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("quantity")] int Quantity,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("payment_url")] string? PaymentUrl,
    [property: JsonPropertyName("request_id")] string? RequestId,
    [property: JsonPropertyName("channel")] string? Channel,
    [property: JsonPropertyName("paid_at")] DateTimeOffset? PaidAt,
    [property: JsonPropertyName("last_event")] string? LastEvent)
{
    public static OrderView Of(Order o)
    {
        lock (o)
        {
            return new(o.InvoiceNumber, o.Amount, o.Quantity, o.Status, o.PaymentUrl, o.RequestId, o.Channel, o.PaidAt, o.LastEvent);
        }
    }
}

public sealed record SandboxPayment(
    [property: JsonPropertyName("invoice_number")] string InvoiceNumber,
    [property: JsonPropertyName("payment_method_type")] string PaymentMethodType,
    [property: JsonPropertyName("result")] string Result);

/// <summary>What the order page's simulator button pays with: a BCA transfer by default, or a card.</summary>
public static class SandboxChannels
{
    public const string BcaTransfer = "VIRTUAL_ACCOUNT_BCA";
    public const string Card = "CREDIT_CARD";

    public static string Pick(string? asked) => asked == Card ? Card : BcaTransfer;
}

[JsonSerializable(typeof(OrderView))]
[JsonSerializable(typeof(List<OrderView>))]
[JsonSerializable(typeof(SandboxPayment))]
public sealed partial class ShopJson : JsonSerializerContext;

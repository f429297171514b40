using System.Security.Cryptography;
using Lunas.Client;
using Lunas.Protocol.Checkout;
using Lunas.SampleShop;
using Lunas.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lunas.SampleShop.Tests;

/// <summary>
/// The shop's checkout against a real Lunas in this process: the order book must mark an order paid once, expired
/// when its hour has passed, and take a duplicate notification calmly.
/// </summary>
public sealed class CheckoutTests : IAsyncLifetime
{
    private LunasSandbox _doku = null!;
    private readonly OrderBook _orders = new(TimeProvider.System, NullLogger<OrderBook>.Instance);

    public async Task InitializeAsync() => _doku = await LunasSandbox.StartAsync();

    public async Task DisposeAsync() => await _doku.DisposeAsync();

    [Fact]
    public async Task Checkout_MarksTheOrderPaid_WhenTheCustomerPaysByVirtualAccount()
    {
        var order = await PlaceOrderAsync();

        await _doku.PayAsync(order.InvoiceNumber, "VIRTUAL_ACCOUNT_BCA");
        _orders.Apply(await _doku.WaitForNotificationAsync(order.InvoiceNumber, DokuTransactionStatus.Success), "notification");

        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.Equal("VIRTUAL_ACCOUNT_BCA", order.Channel);
        Assert.Equal(DokuTransactionStatus.Success, (await _doku.Client.GetStatusAsync(order.InvoiceNumber)).Transaction.Status);
    }

    [Fact]
    public async Task Checkout_MarksTheOrderExpired_WhenSixtyOneMinutesPassUnpaid()
    {
        var order = await PlaceOrderAsync();

        await _doku.AdvanceClockAsync(TimeSpan.FromMinutes(61));
        _orders.Apply(await _doku.WaitForNotificationAsync(order.InvoiceNumber, DokuTransactionStatus.Expired), "notification");

        Assert.Equal(OrderStatus.Expired, order.Status);
        Assert.Equal(DokuTransactionStatus.Expired, (await _doku.Client.GetStatusAsync(order.InvoiceNumber)).Transaction.Status);
    }

    [Fact]
    public async Task Checkout_KeepsTheFirstPayment_WhenDokuSendsTheSameNotificationTwice()
    {
        await _doku.SetNotificationFaultsAsync([NotificationFault.Duplicate(copies: 2)]);
        var order = await PlaceOrderAsync();
        await _doku.PayAsync(order.InvoiceNumber, "VIRTUAL_ACCOUNT_BCA");

        var first = await _doku.WaitForNotificationAsync(order.InvoiceNumber, DokuTransactionStatus.Success);
        _orders.Apply(first, "notification");
        var paidAt = order.PaidAt;
        var copy = await WaitForSecondNotificationAsync(order.InvoiceNumber);
        await Task.Delay(10);
        _orders.Apply(copy, "notification");

        Assert.Equal(first.RequestId, copy.RequestId);
        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.Equal(paidAt, order.PaidAt);
    }

    [Fact]
    public async Task Checkout_KeepsTheFirstPayment_WhenTheNotificationIsResent()
    {
        var order = await PlaceOrderAsync();
        await _doku.PayAsync(order.InvoiceNumber, "VIRTUAL_ACCOUNT_BCA");
        _orders.Apply(await _doku.WaitForNotificationAsync(order.InvoiceNumber, DokuTransactionStatus.Success), "notification");
        var paidAt = order.PaidAt;

        await _doku.ResendNotificationAsync(order.InvoiceNumber);
        var duplicate = await WaitForSecondNotificationAsync(order.InvoiceNumber);
        await Task.Delay(10);
        _orders.Apply(duplicate, "notification");

        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.Equal(paidAt, order.PaidAt);
    }

    private async Task<Order> PlaceOrderAsync()
    {
        var invoice = "SHOP-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var order = new Order { InvoiceNumber = invoice, Amount = Catalog.Price, Quantity = 1, CreatedAt = DateTimeOffset.UtcNow };
        _orders.Add(order);
        var created = await _doku.Client.CreatePaymentAsync(new CheckoutRequest
        {
            Order = new OrderInfo { InvoiceNumber = invoice, Amount = order.Amount },
            Payment = new PaymentInfo { PaymentDueDate = 60 },
        });
        order.PaymentUrl = created.PaymentUrl;
        return order;
    }

    private async Task<DokuNotification> WaitForSecondNotificationAsync(string invoice)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            var copies = _doku.Notifications.Where(n => n.Order.InvoiceNumber == invoice).ToList();
            if (copies.Count >= 2) return copies[1];
            await Task.Delay(50);
        }
        throw new TimeoutException($"no second notification of {invoice}");
    }
}

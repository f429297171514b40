using Lunas.Protocol.Channels;
using Lunas.Server.Payments;

namespace Lunas.Server.Tests.Rules;

/// <summary>The payment rules without a host or a database: a session record, a channel and a time.</summary>
public class PaymentRulesTests
{
    private static readonly DateTimeOffset Created = new(2025, 6, 15, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Expires = Created.AddMinutes(60);

    private static readonly PaymentMethod Bca = PaymentMethods.Find("VIRTUAL_ACCOUNT_BCA")!;
    private static readonly PaymentMethod Card = PaymentMethods.Find("CREDIT_CARD")!;
    private static readonly PaymentMethod Qris = PaymentMethods.Find("QRIS")!;
    private static readonly PaymentMethod Ovo = PaymentMethods.Find("EMONEY_OVO")!;

    private static SessionRecord Session(TransactionStatus status = TransactionStatus.Pending, string order = "",
        OrderStatus orderStatus = OrderStatus.Generated, string[]? methods = null) => new()
    {
        SessionId = "s1", TokenId = "t1", MerchantId = "m1", MerchantName = "Shop", RequestId = "r1", InvoiceNumber = "INV-1",
        Amount = 20000, Status = status, OrderStatus = orderStatus, PaymentMethods = methods ?? ["VIRTUAL_ACCOUNT_BCA", "QRIS", "CREDIT_CARD"],
        CreatedAt = Created, ExpiresAt = Expires,
        RequestBody = "{\"order\":{\"amount\":20000,\"invoice_number\":\"INV-1\"" + order + "}}",
    };

    private const string Recoverable = ""","recover_abandoned_cart":true,"expired_recovered_cart":10""";

    [Fact]
    public void CanPay_None_WhenPendingAndOffered() => Assert.Equal(Refusal.None, PaymentRules.CanPay(Session(), Bca));

    [Fact]
    public void CanPay_AlreadyPaid_WhenAnotherSessionOfTheInvoiceIsPaid()
        => Assert.Equal(Refusal.AlreadyPaid, PaymentRules.CanPay(Session() with { InvoicePaid = true }, Bca));

    [Theory]
    [InlineData(TransactionStatus.Success, Refusal.AlreadyPaid)]
    [InlineData(TransactionStatus.Expired, Refusal.Expired)]
    [InlineData(TransactionStatus.Failed, Refusal.None)]
    [InlineData(TransactionStatus.Redirect, Refusal.None)]
    public void CanPay_FollowsTheStatus_WhenOffered(TransactionStatus status, Refusal expected)
        => Assert.Equal(expected, PaymentRules.CanPay(Session(status), Bca));

    [Fact]
    public void CanPay_ChannelNotAllowed_WhenTheOrderDoesNotOfferIt()
        => Assert.Equal(Refusal.ChannelNotAllowed, PaymentRules.CanPay(Session(), Ovo));

    [Fact]
    public void CanPay_RetryDisabled_WhenAFinalFailureClosedTheOrder()
        => Assert.Equal(Refusal.RetryDisabled, PaymentRules.CanPay(Session(TransactionStatus.Failed) with { RetryClosed = true }, Bca));

    [Fact]
    public void CanPay_ChannelNotAllowed_WhenRecoveredAndTheChannelIsNotRecoverable()
        => Assert.Equal(Refusal.ChannelNotAllowed, PaymentRules.CanPay(Session(orderStatus: OrderStatus.Recovered), Qris));

    [Theory]
    [InlineData(TransactionStatus.Pending, false, true)]
    [InlineData(TransactionStatus.Failed, false, true)]
    [InlineData(TransactionStatus.Redirect, false, true)]
    [InlineData(TransactionStatus.Failed, true, false)]
    [InlineData(TransactionStatus.Success, false, false)]
    [InlineData(TransactionStatus.Expired, false, false)]
    public void IsDue_FollowsStatusAndRetryClosed_WhenPastExpiry(TransactionStatus status, bool retryClosed, bool expected)
        => Assert.Equal(expected, PaymentRules.IsDue(Session(status) with { RetryClosed = retryClosed }, Expires));

    [Fact]
    public void IsDue_False_WhenBeforeExpiry()
        => Assert.False(PaymentRules.IsDue(Session(), Expires.AddMilliseconds(-1)));

    [Fact]
    public void RecoveryWindow_IsExpiredRecoveredCartMinutes_WhenAskedForAndARecoverableChannelIsOffered()
        => Assert.Equal(TimeSpan.FromMinutes(10), PaymentRules.RecoveryWindow(Session(order: Recoverable)));

    [Fact]
    public void RecoveryWindow_Null_WhenNotAskedFor() => Assert.Null(PaymentRules.RecoveryWindow(Session()));

    [Fact]
    public void RecoveryWindow_Null_WhenOnlyUnrecoverableChannelsAreOffered()
        => Assert.Null(PaymentRules.RecoveryWindow(Session(order: Recoverable, methods: ["QRIS", "EMONEY_OVO"])));

    [Fact]
    public void IsRecoverable_True_WhenExpiredInsideTheWindow()
        => Assert.True(PaymentRules.IsRecoverable(Session(TransactionStatus.Expired, Recoverable), Expires.AddMinutes(9)));

    [Fact]
    public void IsRecoverable_False_WhenTheWindowHasPassed()
        => Assert.False(PaymentRules.IsRecoverable(Session(TransactionStatus.Expired, Recoverable), Expires.AddMinutes(10)));

    [Fact]
    public void IsRecoverable_False_WhenRecoveredOnce()
        => Assert.False(PaymentRules.IsRecoverable(Session(TransactionStatus.Expired, Recoverable) with { RecoveredAt = Expires }, Expires));

    [Fact]
    public void IsRecoverable_False_WhenTheInvoiceIsPaid()
        => Assert.False(PaymentRules.IsRecoverable(Session(TransactionStatus.Expired, Recoverable) with { InvoicePaid = true }, Expires));

    [Fact]
    public void IsRecoverable_False_WhenNotExpired()
        => Assert.False(PaymentRules.IsRecoverable(Session(TransactionStatus.Pending, Recoverable), Expires));

    [Fact]
    public void PayableMethods_AllOffered_WhenNotRecovered()
        => Assert.Equal(["VIRTUAL_ACCOUNT_BCA", "QRIS", "CREDIT_CARD"], PaymentRules.PayableMethods(Session()));

    [Fact]
    public void PayableMethods_OnlyRecoverableChannels_WhenRecovered()
        => Assert.Equal(["VIRTUAL_ACCOUNT_BCA", "CREDIT_CARD"], PaymentRules.PayableMethods(Session(orderStatus: OrderStatus.Recovered)));

    [Theory]
    [InlineData("VIRTUAL_ACCOUNT_BCA", true)]
    [InlineData("ONLINE_TO_OFFLINE_ALFA", true)]
    [InlineData("CREDIT_CARD", true)]
    [InlineData("QRIS", false)]
    [InlineData("EMONEY_OVO", false)]
    public void IsRecoverableChannel_VaStoreAndCardOnly(string channel, bool expected)
        => Assert.Equal(expected, PaymentRules.IsRecoverableChannel(PaymentMethods.Find(channel)!));

    [Theory]
    [InlineData("CREDIT_CARD", true)]
    [InlineData("EMONEY_DOKU", true)]
    [InlineData("PEER_TO_PEER_AKULAKU", true)]
    [InlineData("EMONEY_OVO", true)]
    [InlineData("EMONEY_SHOPEE_PAY", true)]
    [InlineData("VIRTUAL_ACCOUNT_BCA", false)]
    [InlineData("QRIS", false)]
    public void HonoursDisableRetry_TheSeedsFiveChannels(string channel, bool expected)
        => Assert.Equal(expected, PaymentRules.HonoursDisableRetry(PaymentMethods.Find(channel)!));

    [Fact]
    public void ClosesOnFailure_True_WhenTheOrderDisablesRetryOnAnHonouringChannel()
        => Assert.True(PaymentRules.ClosesOnFailure(Session(order: ""","disable_retry_payment":true"""), Card));

    [Fact]
    public void ClosesOnFailure_False_WhenTheChannelDoesNotHonourIt()
        => Assert.False(PaymentRules.ClosesOnFailure(Session(order: ""","disable_retry_payment":true"""), Bca));

    [Fact]
    public void ClosesOnFailure_False_WhenTheOrderAllowsRetry() => Assert.False(PaymentRules.ClosesOnFailure(Session(), Card));

    [Theory]
    [InlineData(TransactionStatus.Pending, "PENDING")]
    [InlineData(TransactionStatus.Success, "SUCCESS")]
    [InlineData(TransactionStatus.Failed, "FAILED")]
    [InlineData(TransactionStatus.Expired, "EXPIRED")]
    [InlineData(TransactionStatus.Redirect, "REDIRECT")]
    public void Wire_RoundTrips_ForEveryTransactionStatus(TransactionStatus status, string wire)
    {
        Assert.Equal(wire, status.Wire());
        Assert.Equal(status, StatusNames.ParseTransaction(wire));
    }

    [Theory]
    [InlineData(OrderStatus.Generated, "ORDER_GENERATED")]
    [InlineData(OrderStatus.Expired, "ORDER_EXPIRED")]
    [InlineData(OrderStatus.Recovered, "ORDER_RECOVERED")]
    public void Wire_RoundTrips_ForEveryOrderStatus(OrderStatus status, string wire)
    {
        Assert.Equal(wire, status.Wire());
        Assert.Equal(status, StatusNames.ParseOrder(wire));
    }

    [Fact]
    public void ParseTransaction_Throws_WhenTheNameIsUnknown()
        => Assert.Throws<FormatException>(() => StatusNames.ParseTransaction("PAID"));
}

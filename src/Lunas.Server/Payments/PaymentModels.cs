using System.Text.Json.Serialization;
using Lunas.Protocol.Channels;
using Lunas.Protocol.Checkout;

namespace Lunas.Server.Payments;

/// <summary>Order status values of the status API.</summary>
public static class OrderStatus
{
    public const string Generated = "ORDER_GENERATED";
    public const string Expired = "ORDER_EXPIRED";
    public const string Recovered = "ORDER_RECOVERED";
}

/// <summary>A checkout session as stored, with the create request it came from.</summary>
public sealed record SessionRecord
{
    public required string SessionId { get; init; }
    public required string TokenId { get; init; }
    public required string MerchantId { get; init; }
    public required string MerchantName { get; init; }
    public required string RequestId { get; init; }
    public required string InvoiceNumber { get; init; }
    public required long Amount { get; init; }
    public required string Status { get; init; }
    public required string OrderStatus { get; init; }
    public string? Channel { get; init; }
    public string? PaidAttemptId { get; init; }
    public required IReadOnlyList<string> PaymentMethods { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? TransactionDate { get; init; }
    public DateTimeOffset? RecoveredAt { get; init; }

    /// <summary>Some session of this invoice (this one or another) is paid: nothing more may be paid for it.</summary>
    public bool InvoicePaid { get; init; }

    public required string RequestBody { get; init; }

    private CheckoutRequest? _request;

    /// <summary>The create-payment body, parsed again on demand (it was valid when stored).</summary>
    public CheckoutRequest Request => _request ??= CheckoutRequestReader.Read(System.Text.Encoding.UTF8.GetBytes(RequestBody), new ValidationErrors()) ?? new CheckoutRequest();

    /// <summary>
    /// The order FAILED on a channel that honours <c>disable_retry_payment</c>, and the order asked for it: the failure
    /// is final (no other channel, no expiry, no recovery).
    /// </summary>
    public bool RetryClosed { get; init; }

    /// <summary>
    /// The channels the customer may pay with now: all the order offers, except after a recovery, which applies only to
    /// virtual accounts, convenience stores and card (the seed: recover_abandoned_cart is "only applicable for VA, O2O,
    /// and Credit Card").
    /// </summary>
    public IReadOnlyList<string> PayableMethods => OrderStatus == Payments.OrderStatus.Recovered
        ? PaymentMethods.Where(m => Protocol.Channels.PaymentMethods.Find(m) is { } method && IsRecoverableChannel(method)).ToList()
        : PaymentMethods;

    /// <summary>A channel through which an expired order can be recovered and paid.</summary>
    public static bool IsRecoverableChannel(PaymentMethod method)
        => method.Family is ChannelFamily.VirtualAccount or ChannelFamily.ConvenienceStore || method.Value == "CREDIT_CARD";

    /// <summary>Whether a failure on <paramref name="method"/> would close the order to retries.</summary>
    public bool ClosesOnFailure(PaymentMethod method)
        => Request.Order.DisableRetryPayment == true && Protocol.Channels.PaymentMethods.HonoursDisableRetry(method);

    public PaymentMethod? ChannelMethod => Protocol.Channels.PaymentMethods.Find(Channel);
}

/// <summary>One try at paying a session through one channel.</summary>
public sealed record AttemptRecord(string AttemptId, string SessionId, string Channel, string Status, string? PayCode,
    AttemptDetails Details, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt)
{
    public PaymentMethod Method => Protocol.Channels.PaymentMethods.Find(Channel)!;
}

/// <summary>What a channel recorded about an attempt. Only a masked card number is ever stored.</summary>
public sealed class AttemptDetails
{
    [JsonPropertyName("masked_card_number")] public string? MaskedCardNumber { get; set; }
    [JsonPropertyName("card_brand")] public string? CardBrand { get; set; }
    [JsonPropertyName("approval_code")] public string? ApprovalCode { get; set; }
    [JsonPropertyName("response_code")] public string? ResponseCode { get; set; }
    [JsonPropertyName("response_message")] public string? ResponseMessage { get; set; }
    [JsonPropertyName("transaction_type")] public string? TransactionType { get; set; }
    [JsonPropertyName("tenor")] public int? Tenor { get; set; }
    [JsonPropertyName("qr_content")] public string? QrContent { get; set; }
    [JsonPropertyName("issuer")] public string? Issuer { get; set; }
    [JsonPropertyName("account_id")] public string? AccountId { get; set; }
    [JsonPropertyName("reference")] public string? Reference { get; set; }
    [JsonPropertyName("paid_by")] public string? PaidBy { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AttemptDetails))]
internal sealed partial class PaymentJsonContext : JsonSerializerContext;

/// <summary>Why a payment step was refused; each maps to a 4xx with error_messages.</summary>
public enum Refusal
{
    None,
    NotFound,
    Expired,
    AlreadyPaid,
    ChannelNotAllowed,
    RetryDisabled,
    NotPayable,
    WrongAmount,
    Conflict,
}

public sealed record StepResult(Refusal Refusal, SessionRecord? Session = null, AttemptRecord? Attempt = null, string? Message = null)
{
    public bool Ok => Refusal == Refusal.None;
}

using System.Text.Json.Serialization;
using Lunas.Protocol.Channels;

namespace Lunas.Server.Payments;

/// <summary>One try at paying a session through one channel.</summary>
public sealed record AttemptRecord(string AttemptId, string SessionId, string Channel, TransactionStatus Status, string? PayCode,
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

/// <summary>How a channel ended an attempt: paid, declined, or waiting for the customer's 3-D Secure challenge.</summary>
public enum StepOutcome
{
    Success,
    Failed,
    Redirect,
}

public static class StepOutcomes
{
    /// <summary>The status an attempt (and its session) takes on this outcome.</summary>
    public static TransactionStatus Status(this StepOutcome outcome) => outcome switch
    {
        StepOutcome.Success => TransactionStatus.Success,
        StepOutcome.Failed => TransactionStatus.Failed,
        StepOutcome.Redirect => TransactionStatus.Redirect,
    };
}

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
    Cancelled,
}

/// <summary>
/// A change after payment, as the status API and the notification report it: a capture, a void or a refund, with the
/// Request-Id of the call that made it.
/// </summary>
/// <param name="Type">CAPTURE, VOID, PARTIAL_REFUND or FULL_REFUND.</param>
public sealed record Adjustment(string Type, string RequestId, long Amount, DateTimeOffset At)
{
    public bool IsRefund => Type is "PARTIAL_REFUND" or "FULL_REFUND";
}

public sealed record StepResult(Refusal Refusal, SessionRecord? Session = null, AttemptRecord? Attempt = null, string? Message = null)
{
    public bool Ok => Refusal == Refusal.None;
}

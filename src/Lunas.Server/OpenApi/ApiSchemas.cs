using System.ComponentModel.DataAnnotations;
using Lunas.Client;

namespace Lunas.Server.OpenApi;

// The shapes of the bodies only Lunas has (the simulator, the test controls, the notification log) and of its error
// bodies, for the OpenAPI document: the handlers read and write JSON by hand, these types are never serialized. DOKU's
// own bodies are the SDK's wire models (Lunas.Client), which are what a merchant's code parses. Property names become
// snake_case (OpenApiSetup); OpenApiTests compares them with the bodies the handlers really write.

/// <summary>
/// The error body of the checkout, status, simulator and notification APIs: every problem, each starting with the field
/// it is about (<c>order.amount must be filled</c>).
/// </summary>
public sealed class CheckoutError
{
    /// <summary>The problems, one per entry.</summary>
    public required List<string> ErrorMessages { get; init; }

    /// <summary>The same problems; only on a 401, for clients that read <c>message[0]</c>.</summary>
    public List<string>? Message { get; init; }
}

/// <summary>The error body of cancel, capture, void and refund: DOKU's Direct-API error object.</summary>
public sealed class DirectError
{
    /// <summary>What went wrong.</summary>
    public required DirectErrorDetail Error { get; init; }

    /// <summary>The problems one by one (the error's <c>message</c> joins them with "; ").</summary>
    public required List<string> Message { get; init; }
}

/// <summary>DOKU's error object.</summary>
public sealed class DirectErrorDetail
{
    /// <summary><c>INVALID_PARAMETER</c>, <c>NOT_FOUND</c>, <c>INVALID_STATE</c>, <c>DUPLICATE_REQUEST</c>, …</summary>
    public required string Code { get; init; }

    /// <summary>Why, naming the field.</summary>
    public required string Message { get; init; }

    /// <summary>The code in words: <c>Invalid Parameter</c>, <c>Not Found</c>, <c>Invalid State</c>, …</summary>
    public required string Type { get; init; }
}

/// <summary>The customer pays (or fails to pay) the newest checkout of an invoice through a channel it offers.</summary>
public sealed class SimulatedPayment
{
    /// <summary>The order's <c>order.invoice_number</c>.</summary>
    [MaxLength(64)] public required string InvoiceNumber { get; init; }

    /// <summary>The channel the customer uses, one of the order's <c>payment_method_types</c> (e.g. <c>VIRTUAL_ACCOUNT_BCA</c>, <c>CREDIT_CARD</c>).</summary>
    public required string PaymentMethodType { get; init; }

    /// <summary><c>SUCCESS</c> or <c>FAILED</c>.</summary>
    [AllowedValues("SUCCESS", "FAILED")] public required string Result { get; init; }
}

/// <summary>The bank's side: a transfer to a virtual account number the payment page issued.</summary>
public sealed class VirtualAccountTransfer
{
    /// <summary>The number shown on the payment page (<c>virtual_account_info.virtual_account_number</c>).</summary>
    public required string VirtualAccountNumber { get; init; }

    /// <summary>The amount transferred, in rupiah; the order's amount when left out. Another amount is refused.</summary>
    public long? Amount { get; init; }

    /// <summary>The payer's bank channel, for the record.</summary>
    public string? Channel { get; init; }
}

/// <summary>The store's side: a payment at the counter with a code the payment page issued.</summary>
public sealed class StorePayment
{
    /// <summary>The code shown on the payment page (<c>online_to_offline_info.payment_code</c>).</summary>
    public required string PaymentCode { get; init; }

    /// <summary>The amount paid, in rupiah; the order's amount when left out. Another amount is refused.</summary>
    public long? Amount { get; init; }

    /// <summary>The store, for the record.</summary>
    public string? Channel { get; init; }
}

/// <summary>A QRIS-capable wallet scans the payment page's code and pays it.</summary>
public sealed class QrisScan
{
    /// <summary>The QRIS payload exactly as encoded in the QR code (<c>000201…6304ABCD</c>), its CRC checked.</summary>
    public required string QrContent { get; init; }

    /// <summary>The wallet that paid (e.g. <c>GOPAY</c>); it becomes <c>qris_payment.issuer</c>.</summary>
    public string? Issuer { get; init; }
}

/// <summary>The card issuer's answer to the 3-D Secure challenge a card payment is waiting on.</summary>
public sealed class ChallengeAnswer
{
    /// <summary>The order's <c>order.invoice_number</c>.</summary>
    [MaxLength(64)] public required string InvoiceNumber { get; init; }

    /// <summary><c>SUCCESS</c> or <c>FAILED</c>.</summary>
    [AllowedValues("SUCCESS", "FAILED")] public required string Result { get; init; }
}

/// <summary>The order's time runs out now (not for a paid, expired or finally failed order).</summary>
public sealed class Expiration
{
    /// <summary>The order's <c>order.invoice_number</c>.</summary>
    [MaxLength(64)] public required string InvoiceNumber { get; init; }
}

/// <summary>Moves the signing merchant's clock forward: due dates pass, retries come due, orders expire.</summary>
public sealed class ClockAdvance
{
    /// <summary>Whole seconds, above 0 and at most ten years.</summary>
    [Range(1, 315_360_000)] public required long AdvanceSeconds { get; init; }
}

/// <summary>The merchant's notification faults, in the order they are matched.</summary>
public sealed class NotificationFaultList
{
    /// <summary>Each notification takes the first fault that matches it and has times left.</summary>
    public required List<NotificationFault> Faults { get; init; }
}

/// <summary>The receiver to check; the merchant's notification URL when left out.</summary>
public sealed class ReceiverCheckTarget
{
    /// <summary>An absolute http or https URL, an allowed notification destination.</summary>
    [MaxLength(2048)] public string? Url { get; init; }
}

/// <summary>An invoice's notifications, oldest first, each with every delivery attempt.</summary>
public sealed class NotificationLog
{
    /// <summary>The invoice asked for.</summary>
    public required string InvoiceNumber { get; init; }

    /// <summary>Its notifications.</summary>
    public required List<NotificationEntry> Notifications { get; init; }
}

/// <summary>One notification: what was sent, where, and how its delivery went.</summary>
public sealed class NotificationEntry
{
    /// <summary>Its id, for <c>POST /notifications/v1/{id}/resend</c>.</summary>
    public required string NotificationId { get; init; }

    /// <summary>The <c>transaction.status</c> it reports: <c>SUCCESS</c>, <c>FAILED</c>, <c>EXPIRED</c>, <c>REFUNDED</c>, <c>VOIDED</c>, …</summary>
    public required string Event { get; init; }

    /// <summary>Where it goes: the order's override or the merchant's notification URL; null when neither is set.</summary>
    public required string? Url { get; init; }

    /// <summary><c>PENDING</c> (more attempts scheduled), <c>DELIVERED</c>, <c>FAILED</c> (given up) or <c>UNDELIVERABLE</c> (no URL to send to).</summary>
    public required string Status { get; init; }

    /// <summary>How many scheduled attempts were made.</summary>
    public required int ScheduledAttempts { get; init; }

    /// <summary>When the change happened.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the next attempt is due; only while <c>PENDING</c>.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>The body exactly as signed and sent.</summary>
    public required DokuNotification Body { get; init; }

    /// <summary>Every attempt: scheduled ones, resends and injected faults.</summary>
    public required List<DeliveryAttemptEntry> Attempts { get; init; }
}

/// <summary>One delivery attempt.</summary>
public sealed class DeliveryAttemptEntry
{
    /// <summary>The Request-Id header it was sent with.</summary>
    public required string RequestId { get; init; }

    /// <summary>1 for the first.</summary>
    public required int AttemptNumber { get; init; }

    /// <summary><c>scheduled</c> (the retry schedule) or <c>resend</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Where it was sent.</summary>
    public required string Url { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset Date { get; init; }

    /// <summary>The receiver's status code; null when there was no answer.</summary>
    public required int? StatusCode { get; init; }

    /// <summary>Why there was no answer, or why the answer did not count.</summary>
    public required string? Error { get; init; }

    /// <summary>How long it took.</summary>
    public required long LatencyMs { get; init; }

    /// <summary>The start of the receiver's answer.</summary>
    public required string? ResponseExcerpt { get; init; }

    /// <summary>The fault injected into this attempt, if any.</summary>
    public string? Fault { get; init; }
}

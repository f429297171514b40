using System.Text.Json.Serialization;

namespace Lunas.Client;

/// <summary>
/// A Lunas sandbox fault for the merchant's next notifications (<see cref="DokuCheckoutClient.SetNotificationFaultsAsync"/>).
/// Lunas-only: the real DOKU has no such thing. Make one with the factory methods; each notification takes the first
/// fault in the list that matches it and has times left.
/// </summary>
public sealed class NotificationFault
{
    /// <summary><c>duplicate</c>, <c>delay</c>, <c>drop</c>, <c>bad_signature</c> or <c>out_of_order</c>.</summary>
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";

    /// <summary>duplicate: how many times the notification is sent (2 to 10), all with its one Request-Id.</summary>
    [JsonPropertyName("copies")] public int? Copies { get; set; }

    /// <summary>delay: how long the first attempt is held back (1 to 86400 seconds).</summary>
    [JsonPropertyName("seconds")] public int? Seconds { get; set; }

    /// <summary>drop: how many attempts fail as a network error would, nothing sent (1 to 10); the retry schedule goes on.</summary>
    [JsonPropertyName("attempts")] public int? Attempts { get; set; }

    /// <summary>How many notifications it applies to (1 to 1000; 1 when not set).</summary>
    [JsonPropertyName("times")] public int? Times { get; set; }

    /// <summary>Only notifications of this payment method (e.g. <c>QRIS</c>, <c>VIRTUAL_ACCOUNT_BCA</c>); all when null.</summary>
    [JsonPropertyName("channel")] public string? Channel { get; set; }

    /// <summary>As read back: how many of <see cref="Times"/> are left. Not sent.</summary>
    [JsonPropertyName("remaining")] public int? Remaining { get; set; }

    /// <summary>The notification is sent <paramref name="copies"/> times with the same Request-Id (a receiver must process it once).</summary>
    public static NotificationFault Duplicate(int copies = 2, int times = 1, string? channel = null)
        => new() { Kind = "duplicate", Copies = copies, Times = times, Channel = channel };

    /// <summary>The first attempt goes <paramref name="delay"/> late (whole seconds).</summary>
    public static NotificationFault Delay(TimeSpan delay, int times = 1, string? channel = null)
        => new() { Kind = "delay", Seconds = (int)Math.Ceiling(delay.TotalSeconds), Times = times, Channel = channel };

    /// <summary>The first <paramref name="attempts"/> attempts fail as a network error, recorded as failed; retries follow the schedule.</summary>
    public static NotificationFault Drop(int attempts = 1, int times = 1, string? channel = null)
        => new() { Kind = "drop", Attempts = attempts, Times = times, Channel = channel };

    /// <summary>One copy with a wrong Signature (a receiver must refuse it), then the right one.</summary>
    public static NotificationFault BadSignature(int times = 1, string? channel = null)
        => new() { Kind = "bad_signature", Times = times, Channel = channel };

    /// <summary>An order's FAILED notification is held until its later SUCCESS was delivered (at most an hour), so it arrives last.</summary>
    public static NotificationFault OutOfOrder(int times = 1, string? channel = null)
        => new() { Kind = "out_of_order", Times = times, Channel = channel };
}

/// <summary>The answer of <see cref="DokuCheckoutClient.CheckReceiverAsync"/>: one entry per case. Lunas-only.</summary>
public sealed class ReceiverCheckReport
{
    /// <summary>The receiver that was checked.</summary>
    [JsonPropertyName("url")] public string Url { get; set; } = "";

    /// <summary>The made-up invoice of the check's notification (<c>LUNAS-CHECK-…</c>): not an order of yours.</summary>
    [JsonPropertyName("invoice_number")] public string InvoiceNumber { get; set; } = "";

    /// <summary>True when every case passed.</summary>
    [JsonPropertyName("pass")] public bool Pass { get; set; }

    /// <summary>The cases in the order sent.</summary>
    [JsonPropertyName("cases")] public List<ReceiverCheckCase> Cases { get; set; } = [];

    /// <summary>The response body exactly as received.</summary>
    [JsonIgnore] public string RawJson { get; set; } = "";
}

/// <summary>One case of a receiver check.</summary>
public sealed class ReceiverCheckCase
{
    /// <summary>e.g. <c>correct_notification</c>, <c>same_request_id_again</c>, <c>wrong_signature</c>, <c>body_changed_after_signing</c>,
    /// <c>timestamp_outside_5_minutes</c>, <c>missing_signature_header</c>, <c>signed_over_wrong_request_target</c>.</summary>
    [JsonPropertyName("name")] public string Name { get; set; } = "";

    /// <summary><c>2xx</c> or <c>4xx</c>.</summary>
    [JsonPropertyName("expected")] public string Expected { get; set; } = "";

    /// <summary>The receiver's status code, or <c>no answer: …</c> with why.</summary>
    [JsonPropertyName("got")] public string Got { get; set; } = "";

    /// <summary>Whether the receiver answered as expected.</summary>
    [JsonPropertyName("pass")] public bool Pass { get; set; }

    /// <summary>The Request-Id the case was sent with (the first two share one).</summary>
    [JsonPropertyName("request_id")] public string RequestId { get; set; } = "";
}

internal sealed class NotificationFaultList
{
    [JsonPropertyName("faults")] public List<NotificationFault> Faults { get; set; } = [];
}

internal sealed class ReceiverCheckRequest
{
    [JsonPropertyName("url")] public string? Url { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NotificationFaultList))]
[JsonSerializable(typeof(ReceiverCheckRequest))]
[JsonSerializable(typeof(ReceiverCheckReport))]
internal sealed partial class LunasNotificationTestingJsonContext : JsonSerializerContext;

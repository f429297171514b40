using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Lunas.Protocol.Wire;
using Lunas.Server.Merchants;

namespace Lunas.Server.Notifications;

/// <param name="Expected">"2xx" or "4xx".</param>
/// <param name="Got">The receiver's status code, or why there was none.</param>
public sealed record ReceiverCheckCase(string Name, string Expected, string Got, bool Pass, string RequestId);

/// <summary>
/// Sends a receiver the battery a DOKU notification endpoint must get right: a correct notification and its repeat
/// (both accepted), then forged or broken ones (each refused with a 4xx). The notification is made up (invoice
/// LUNAS-CHECK-…), signed with the merchant's key, and goes through the destination policy like every notification.
/// </summary>
public sealed class ReceiverCheck(NotificationSender sender, TimeProvider clock)
{
    public const string InvoicePrefix = "LUNAS-CHECK-";
    public static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(30);

    private static readonly (string Name, Tamper Tamper, bool Accepted)[] Cases =
    [
        ("correct_notification", Tamper.None, true),
        ("same_request_id_again", Tamper.None, true),
        ("wrong_signature", Tamper.WrongSignature, false),
        ("body_changed_after_signing", Tamper.BodyChanged, false),
        ("timestamp_outside_5_minutes", Tamper.StaleTimestamp, false),
        ("missing_signature_header", Tamper.MissingSignature, false),
        ("signed_over_wrong_request_target", Tamper.WrongTarget, false),
    ];

    public const int MaxUrlLength = 2048;

    /// <summary>
    /// Where a check goes: <paramref name="given"/> (an absolute http or https URL of at most <see cref="MaxUrlLength"/>
    /// characters) or, when null, the merchant's notification URL; either must pass the destination policy. Returns
    /// why not, naming the field, or null with <paramref name="url"/> set.
    /// </summary>
    public static string? Target(string? given, Merchant merchant, DestinationPolicy policy, out string url)
    {
        url = "";
        if (given is not null && (given.Length > MaxUrlLength || !Uri.TryCreate(given, UriKind.Absolute, out var uri)
                                  || uri.Scheme is not ("http" or "https")))
        {
            return $"url must be an absolute http or https URL of at most {MaxUrlLength} characters";
        }
        var target = given ?? merchant.NotificationUrl;
        if (target is null) return "url must be filled: the merchant has no notification URL";
        if (policy.LiteralRefusal(target) is { } refusal) return $"url is not an allowed notification destination: {refusal}";
        url = target;
        return null;
    }

    public async Task<(string Invoice, IReadOnlyList<ReceiverCheckCase> Cases)> RunAsync(Merchant merchant, string url,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var invoice = InvoicePrefix + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        var row = new NotificationRow(Guid.NewGuid().ToString(), merchant.ClientId, "", invoice, "SUCCESS", url, Body(invoice, now),
            "PENDING", 0, now, null, now);
        var perCase = sender.Timeout < CaseTimeout ? sender.Timeout : CaseTimeout;
        var elapsed = Stopwatch.StartNew();
        var results = new List<ReceiverCheckCase>();
        foreach (var (name, tamper, accepted) in Cases)
        {
            // The two correct ones share the notification's Request-Id; each broken one has its own.
            var requestId = accepted ? row.NotificationId : Guid.NewGuid().ToString();
            var expected = accepted ? "2xx" : "4xx";
            var left = CheckTimeout - elapsed.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                results.Add(new ReceiverCheckCase(name, expected, $"not sent: the check's {CheckTimeout.TotalSeconds:0} s ran out", false, requestId));
                continue;
            }
            var attempt = await sender.SendAsync(row, requestId, "CHECK", tamper, left < perCase ? left : perCase, cancellationToken);
            var pass = attempt.StatusCode is { } code && (accepted ? code is >= 200 and < 300 : code is >= 400 and < 500);
            var got = attempt.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer: " + attempt.Error;
            results.Add(new ReceiverCheckCase(name, expected, got, pass, requestId));
        }
        return (invoice, results);
    }

    /// <summary>A SUCCESS notification of a BCA virtual account payment, shaped like a real one.</summary>
    private static string Body(string invoice, DateTimeOffset now)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, DokuJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteStartObject("service"); w.WriteString("id", "VIRTUAL_ACCOUNT"); w.WriteEndObject();
            w.WriteStartObject("acquirer"); w.WriteString("id", "BCA"); w.WriteEndObject();
            w.WriteStartObject("channel"); w.WriteString("id", "VIRTUAL_ACCOUNT_BCA"); w.WriteEndObject();
            w.WriteStartObject("order"); w.WriteString("invoice_number", invoice); w.WriteNumber("amount", 10000); w.WriteEndObject();
            w.WriteStartObject("virtual_account_info"); w.WriteString("virtual_account_number", "1900600000000001"); w.WriteEndObject();
            w.WriteStartObject("virtual_account_payment");
            w.WriteString("date", now.UtcDateTime.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteEndObject();
            w.WriteStartObject("transaction");
            w.WriteString("status", "SUCCESS");
            w.WriteString("date", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("original_request_id", "lunas-receiver-check");
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Lunas.Server.Notifications;
using Lunas.Protocol.Channels;
using Lunas.Server.Payments;
using Lunas.Server.PostPayment;

namespace Lunas.Server.Console;

/// <summary>
/// What can be done on an order now, each through the code the API uses for the same thing. The list is where the
/// post-payment operations (cancel, capture, refund) join: one entry, one form, one service call.
/// </summary>
public enum OrderAction
{
    Pay,
    Fail,
    PassChallenge,
    FailChallenge,
    Expire,
    Cancel,
    Capture,
    Void,
    Refund,
}

public static class OrderActions
{
    public static string Name(this OrderAction action) => action switch
    {
        OrderAction.Pay => "pay",
        OrderAction.Fail => "fail",
        OrderAction.PassChallenge => "3ds-pass",
        OrderAction.FailChallenge => "3ds-fail",
        OrderAction.Expire => "expire",
        OrderAction.Cancel => "cancel",
        OrderAction.Capture => "capture",
        OrderAction.Void => "void",
        OrderAction.Refund => "refund",
    };

    public static bool IsAfterPayment(this OrderAction action)
        => action is OrderAction.Cancel or OrderAction.Capture or OrderAction.Void or OrderAction.Refund;

    public static OrderAction? Parse(string? name) => Enum.GetValues<OrderAction>().Cast<OrderAction?>().FirstOrDefault(a => a!.Value.Name() == name);

    /// <summary>The actions the order's state allows (the service re-checks each under its own transaction).</summary>
    public static IReadOnlyList<OrderAction> For(SessionRecord session, AfterContext after)
    {
        var list = new List<OrderAction>();
        if (session.Status == TransactionStatus.Redirect)
        {
            list.Add(OrderAction.PassChallenge);
            list.Add(OrderAction.FailChallenge);
        }
        else if (session.PayableMethods.Any(m => Protocol.Channels.PaymentMethods.Find(m) is { } method && PaymentRules.CanPay(session, method) == Refusal.None))
        {
            list.Add(OrderAction.Pay);
            list.Add(OrderAction.Fail);
        }
        if (PaymentRules.CanExpireNow(session) == Refusal.None) list.Add(OrderAction.Expire);
        if (after.CancelEnabled && AfterPaymentRules.CanCancel(session, after.ConvenienceStores) == AfterOutcome.Done) list.Add(OrderAction.Cancel);
        if (AfterPaymentRules.CanCapture(session, session.Amount) == AfterOutcome.Done) list.Add(OrderAction.Capture);
        if (session.ChannelMethod?.Family == ChannelFamily.Card)
        {
            var (outcome, type) = AfterPaymentRules.CardRefund(session, session.PaidAmount - session.RefundedAmount, after.Now);
            if (outcome == AfterOutcome.Done) list.Add(type == "VOID" ? OrderAction.Void : OrderAction.Refund);
        }
        else if (PostPaymentOperations.IsRefundableWallet(session.ChannelMethod?.AcquirerId)
                 && AfterPaymentRules.FullRefund(session) == AfterOutcome.Done)
        {
            list.Add(OrderAction.Refund);
        }
        return list;
    }
}

/// <summary>One line of an order's history, with the bodies it carried.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Kind, string Title, string? Detail, IReadOnlyList<(string Label, string Body)> Blocks,
    string? NotificationId = null);

public sealed class OrderView
{
    public required ConsoleFrame F { get; init; }
    public required SessionRecord Session { get; init; }
    public required string PaymentUrl { get; init; }
    public required IReadOnlyList<TimelineEntry> Timeline { get; init; }
    public required IReadOnlyList<OrderAction> Actions { get; init; }
    public IReadOnlyList<string> Errors { get; init; } = [];
    public string? Notice { get; init; }
}

/// <summary>An order's timeline: created, each attempt, each status change, each notification and its deliveries.</summary>
public static class OrderTimeline
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IReadOnlyList<TimelineEntry> Build(ConsoleTexts t, SessionRecord session, string? responseBody,
        IReadOnlyList<AttemptRecord> attempts, IEnumerable<(NotificationRow Row, IReadOnlyList<DeliveryAttempt> Attempts)> notifications,
        IReadOnlyList<OperationRow> operations)
    {
        var list = new List<TimelineEntry>
        {
            new(session.CreatedAt, "created", t.EventCreated, $"{t.RequestId} {session.RequestId}",
                [(t.RequestBody, Pretty(session.RequestBody)), (t.ResponseBody, Pretty(responseBody ?? ""))]),
        };
        foreach (var a in attempts)
        {
            list.Add(new(a.CreatedAt, "attempt", $"{t.EventAttempt}: {a.Channel}", a.PayCode, []));
            if (a.CompletedAt is { } done || a.Status == TransactionStatus.Redirect)
            {
                var details = JsonSerializer.Serialize(a.Details, PaymentJsonContext.Default.AttemptDetails);
                list.Add(new(a.CompletedAt ?? a.CreatedAt, "change " + a.Status.Wire().ToLowerInvariant(), $"{t.EventStatus} {a.Status.Wire()}",
                    $"{a.Channel} {a.Details.ResponseMessage}".Trim(), [(a.Channel, Pretty(details))]));
            }
        }
        if (session.Status == TransactionStatus.Expired && session.TransactionDate is { } expired)
        {
            list.Add(new(expired, "change expired", $"{t.EventStatus} EXPIRED", null, []));
        }
        if (session.RecoveredAt is { } recovered)
        {
            list.Add(new(recovered, "change recovered", $"{t.EventStatus} ORDER_RECOVERED", null, []));
        }
        foreach (var op in operations)
        {
            var amount = op.Amount is { } a ? " · " + ConsoleTexts.Rupiah(a) : "";
            list.Add(new(op.At, "operation", $"{t.After.Operation} {op.Operation}{(op.Type is { } type ? " " + type : "")} (HTTP {op.Status})",
                $"{t.RequestId} {op.RequestId}{amount}", [(t.ResponseBody, Pretty(op.Body))]));
        }
        foreach (var (row, deliveries) in notifications)
        {
            list.Add(new(row.CreatedAt, "notification", $"{t.EventNotification} {row.Event} ({row.Status})", row.Url ?? "—",
                [(t.RequestBody, Pretty(row.Body))], row.NotificationId));
            foreach (var d in deliveries)
            {
                var answer = d.StatusCode is { } code ? $"HTTP {code}" : d.Error ?? t.NoAnswer;
                list.Add(new(d.StartedAt, d.Delivered ? "delivery ok" : "delivery failed",
                    $"{t.EventDelivery} #{d.AttemptNumber} ({d.Kind}): {answer}", $"{t.Latency} {d.LatencyMs} ms · {d.Url}",
                    d.ResponseExcerpt is { Length: > 0 } excerpt ? [(t.Answer, Pretty(excerpt))] : []));
            }
        }
        return [.. list.OrderBy(e => e.At)];
    }

    /// <summary>JSON indented for reading (Razor encodes it when written); anything else as it was.</summary>
    public static string Pretty(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, Indented))
            {
                document.WriteTo(writer);
            }
            return Encoding.UTF8.GetString(stream.ToArray());
        }
        catch (JsonException)
        {
            return body;
        }
    }
}

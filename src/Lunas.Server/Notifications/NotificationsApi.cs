using System.Buffers;
using System.Text.Json;
using Lunas.Protocol.Wire;
using Lunas.Server.Payments;
using Lunas.Server.Security;
using Lunas.Server.OpenApi;

namespace Lunas.Server.Notifications;

/// <summary>The delivery log of an invoice's notifications, and resending one now. Signed with the merchant's keys.</summary>
public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder app)
    {
        app.MapGet("/notifications/v1/invoices/{invoice}", ListAsync).RequireDokuSignature(hasBody: false)
            .Describe(OpenApiSetup.NotificationsTag, "ListNotifications", "An invoice's notifications and their delivery")
            .Answers<NotificationLog>(200, "Oldest first, each with every attempt (empty when there are none).")
            .Fails(400, "The invoice in the path does not decode to clean text (invalid UTF-8 or a control character).");
        app.MapPost("/notifications/v1/{id}/resend", ResendAsync).RequireDokuSignature(hasBody: true, requestIdUse: RequestIdUse.Once)
            .Describe(OpenApiSetup.NotificationsTag, "ResendNotification", "Send a notification again now",
                "To the merchant's current notification URL, with a new Request-Id; the body may be empty.")
            .Answers<NotificationEntry>(200, "The notification with the new attempt.")
            .Fails(400, "The id in the path does not decode to clean text (invalid UTF-8 or a control character).")
            .Fails(404, "No notification of this merchant has this id.")
            .Fails(409, "It cannot be sent now (no notification URL), or the Request-Id was used before.");
        return app;
    }

    private static async Task<ApiReply> ListAsync(HttpContext context, SignedRequest signed, NotificationStore store,
        CancellationToken cancellationToken)
    {
        if (Infrastructure.RouteText.Segment(context, 0, out var invoice) is not TextProblem.None and var problem)
        {
            return ApiReply.Error(400, $"the invoice_number in the path {TextGuard.Describe(problem)}");
        }
        var rows = await store.ListForInvoiceAsync(signed.ClientId, invoice, cancellationToken);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, DokuJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("invoice_number", invoice);
            w.WriteStartArray("notifications");
            foreach (var (row, attempts) in rows)
            {
                WriteNotification(w, row, attempts);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return new ApiReply(200, buffer.WrittenSpan.ToArray());
    }

    private static async Task<ApiReply> ResendAsync(HttpContext context, SignedRequest signed, NotificationResender resender,
        CancellationToken cancellationToken)
    {
        if (Infrastructure.RouteText.Segment(context, 1, out var id) is not TextProblem.None and var problem)
        {
            return ApiReply.Error(400, $"the notification id in the path {TextGuard.Describe(problem)}");
        }
        var outcome = await resender.ResendAsync(signed.ClientId, id, cancellationToken);
        if (outcome.Error is not null) return ApiReply.Error(outcome.Status, outcome.Error);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, DokuJson.WriterOptions))
        {
            WriteNotification(w, outcome.Row!, outcome.Attempts!);
        }
        return new ApiReply(200, buffer.WrittenSpan.ToArray());
    }

    private static void WriteNotification(Utf8JsonWriter w, NotificationRow row, IEnumerable<DeliveryAttempt> attempts)
    {
        w.WriteStartObject();
        w.WriteString("notification_id", row.NotificationId);
        w.WriteString("event", row.Event);
        if (row.Url is null) w.WriteNull("url"); else w.WriteString("url", row.Url);
        w.WriteString("status", row.Status);
        w.WriteNumber("scheduled_attempts", row.Attempts);
        w.WriteString("created_at", PaymentEnvelope.Iso(row.CreatedAt));
        if (row.Status == Outbox.Pending) w.WriteString("next_attempt_at", PaymentEnvelope.Iso(row.NextAttemptAt));
        w.WritePropertyName("body");
        w.WriteRawValue(row.Body, skipInputValidation: true);
        w.WriteStartArray("attempts");
        foreach (var a in attempts)
        {
            w.WriteStartObject();
            w.WriteString("request_id", a.RequestId);
            w.WriteNumber("attempt_number", a.AttemptNumber);
            w.WriteString("kind", a.Kind);
            w.WriteString("url", a.Url);
            w.WriteString("date", PaymentEnvelope.Iso(a.StartedAt));
            if (a.StatusCode is { } code) w.WriteNumber("status_code", code); else w.WriteNull("status_code");
            if (a.Error is { } error) w.WriteString("error", error); else w.WriteNull("error");
            w.WriteNumber("latency_ms", a.LatencyMs);
            if (a.ResponseExcerpt is { } excerpt) w.WriteString("response_excerpt", excerpt); else w.WriteNull("response_excerpt");
            // Only on attempts a sandbox fault made, so every other log reads as before.
            if (a.Fault is { } fault) w.WriteString("fault", fault);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}

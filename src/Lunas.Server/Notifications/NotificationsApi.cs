using System.Buffers;
using System.Text.Json;
using Lunas.Protocol.Wire;
using Lunas.Server.Payments;
using Lunas.Server.Security;

namespace Lunas.Server.Notifications;

/// <summary>The delivery log of an invoice's notifications, and resending one now. Signed with the merchant's keys.</summary>
public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder app)
    {
        app.MapGet("/notifications/v1/invoices/{invoice}", ListAsync).RequireDokuSignature(hasBody: false);
        app.MapPost("/notifications/v1/{id}/resend", ResendAsync).RequireDokuSignature(hasBody: true, singleUse: true);
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

    private static async Task<ApiReply> ResendAsync(HttpContext context, SignedRequest signed, NotificationStore store, PaymentStore payments,
        Merchants.MerchantStore merchants, NotificationSender sender, CancellationToken cancellationToken)
    {
        if (Infrastructure.RouteText.Segment(context, 1, out var id) is not TextProblem.None and var problem)
        {
            return ApiReply.Error(400, $"the notification id in the path {TextGuard.Describe(problem)}");
        }
        var row = await store.FindAsync(signed.ClientId, id, cancellationToken);
        if (row is null) return ApiReply.Error(404, $"notification {id} is not found");
        if (row.Url is null)
        {
            // Undeliverable when written; the merchant may have set a notification URL since.
            var session = await payments.FindBySessionIdAsync(row.SessionId, cancellationToken);
            var merchant = await merchants.FindAsync(row.MerchantId, cancellationToken);
            var url = session is null ? null : Outbox.Destination(session, session.ChannelMethod, merchant);
            if (url is null)
            {
                return ApiReply.Error(409, $"notification {id} has no destination: set the merchant's NotificationUrl (lunas merchants) and resend");
            }
            await store.SetDestinationAsync(row.NotificationId, url, cancellationToken);
            row = row with { Url = url, Status = Outbox.Failed };
        }
        // A fresh Request-Id: a resend is a new delivery the merchant asked for, not a retry of the scheduled one.
        var attempt = await sender.SendAsync(row, Guid.NewGuid().ToString(), "RESEND", cancellationToken);
        await store.RecordResendAsync(attempt, CancellationToken.None);
        var (fresh, attempts) = (await store.ListForInvoiceAsync(signed.ClientId, row.InvoiceNumber, CancellationToken.None))
            .First(n => n.Row.NotificationId == row.NotificationId);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, DokuJson.WriterOptions))
        {
            WriteNotification(w, fresh, attempts);
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
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}

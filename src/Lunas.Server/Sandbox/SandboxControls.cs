using System.Buffers;
using System.Text.Json;
using Lunas.Protocol.Wire;
using Lunas.Server.Notifications;
using Lunas.Server.Payments;
using Lunas.Server.PostPayment;
using Lunas.Server.Security;
using Lunas.Server.Storage;
using Lunas.Server.OpenApi;

namespace Lunas.Server.Sandbox;

/// <summary>
/// Test controls for the signing merchant only: its clock (<c>GET</c>/<c>POST /sandbox/v1/clock</c>) and a reset of all
/// its data (<c>DELETE /sandbox/v1/data</c>). Mapped with the simulator, so off when the sandbox is.
/// </summary>
public static class SandboxControls
{
    public const string ClockPath = "/sandbox/v1/clock";
    public const string DataPath = "/sandbox/v1/data";

    public static IEndpointRouteBuilder MapSandboxControls(this IEndpointRouteBuilder app)
    {
        app.MapGet(ClockPath, GetClockAsync).RequireDokuSignature(hasBody: false)
            .Describe(OpenApiSetup.TestControlsTag, "GetClock", "The merchant's sandbox time")
            .Answers<Lunas.Client.LunasSandboxClock>(200, "Now, as the merchant's orders see it, and how far ahead of real time.");
        app.MapPost(ClockPath, AdvanceClockAsync).RequireDokuSignature(hasBody: true, requestIdUse: RequestIdUse.Once)
            .Describe(OpenApiSetup.TestControlsTag, "AdvanceClock", "Move the merchant's time forward",
                "Due dates pass and orders expire at once; notification retries that came due go out now.")
            .Takes<ClockAdvance>().Answers<Lunas.Client.LunasSandboxClock>(200, "The merchant's new time.")
            .Fails(400, "advance_seconds is missing, not a whole number in range, or would move the clock too far.")
            .Fails(409, "The Request-Id was used before.");
        app.MapDelete(DataPath, ResetAsync).RequireDokuSignature(hasBody: false)
            .Describe(OpenApiSetup.TestControlsTag, "ResetData", "Remove all of the merchant's data",
                "Every checkout, attempt, notification and post-payment record of the signing merchant; its clock back to real time. "
                + "Other merchants are untouched.")
            .Answers<Lunas.Client.LunasSandboxReset>(200, "What was removed.");
        return app;
    }

    /// <summary><c>{"now": "…Z", "offset_seconds": N}</c>: the merchant's time, read from the database.</summary>
    private static async Task<ApiReply> GetClockAsync(SignedRequest signed, MerchantClock clocks, CancellationToken cancellationToken)
        => ClockReply(clocks, await clocks.OffsetAsync(signed.ClientId, cancellationToken));

    /// <summary><c>{"advance_seconds": N}</c>, a whole number above 0 and at most ten years: the merchant's time moves forward.</summary>
    private static async Task<ApiReply> AdvanceClockAsync(SignedRequest signed, MerchantClock clocks, Outbox outbox,
        CancellationToken cancellationToken)
    {
        if (!SandboxApi.TryReadObject(signed.Body, out var root, out var error)) return ApiReply.Error(400, error);
        if (!TryReadAdvance(root, out var by, out error)) return ApiReply.Error(400, error);
        // Not the request's token: once queued, the write completes even if the caller goes away.
        var offset = await clocks.AdvanceAsync(signed.ClientId, by, CancellationToken.None);
        if (offset is null)
        {
            return ApiReply.Error(400, $"advance_seconds would move the clock more than {(long)MerchantClock.MaxOffset.TotalSeconds} seconds ahead; reset it with DELETE {DataPath}");
        }
        // Retries that became due now go out now, not at the dispatcher's next poll.
        outbox.Wake();
        return ClockReply(clocks, offset.Value);
    }

    private static bool TryReadAdvance(JsonElement root, out TimeSpan by, out string error)
    {
        by = default;
        error = "";
        var max = (long)MerchantClock.MaxAdvance.TotalSeconds;
        if (!root.TryGetProperty("advance_seconds", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            error = "advance_seconds must be filled";
        }
        else if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var seconds))
        {
            error = "advance_seconds must be a whole number of seconds";
        }
        else if (seconds <= 0)
        {
            error = "advance_seconds must be greater than 0 (the clock only moves forward)";
        }
        else if (seconds > max)
        {
            error = $"advance_seconds must be at most {max} (ten years)";
        }
        else
        {
            by = TimeSpan.FromSeconds(seconds);
            return true;
        }
        return false;
    }

    /// <summary>Removes every session, attempt, notification and post-payment record of the merchant and resets its clock.</summary>
    private static async Task<ApiReply> ResetAsync(SignedRequest signed, WriteBatcher batcher, MerchantClock clocks,
        CancellationToken cancellationToken)
    {
        var merchantId = signed.ClientId;
        // One write: the merchant's data goes all at once, or not at all. Children before parents (foreign keys).
        var removed = await batcher.WriteAsync(new IsolatedWrite<Removed>(async batch =>
        {
            var (notifications, deliveries) = await NotificationStore.DeleteMerchantAsync(batch, merchantId);
            var operations = await OperationStore.DeleteMerchantAsync(batch, merchantId);
            var (sessions, attempts) = await PaymentStore.DeleteMerchantAsync(batch, merchantId);
            await MerchantClock.ResetAsync(batch, merchantId);
            return new Removed(sessions, attempts, notifications, deliveries, operations);
        }), CancellationToken.None);
        clocks.Forget(merchantId);
        return new ApiReply(200, Write(w =>
        {
            w.WriteStartObject("removed");
            w.WriteNumber("sessions", removed.Sessions);
            w.WriteNumber("payment_attempts", removed.Attempts);
            w.WriteNumber("notifications", removed.Notifications);
            w.WriteNumber("notification_attempts", removed.Deliveries);
            w.WriteNumber("payment_operations", removed.Operations);
            w.WriteEndObject();
            w.WriteStartObject("clock");
            WriteClock(w, clocks, TimeSpan.Zero);
            w.WriteEndObject();
        }));
    }

    private readonly record struct Removed(int Sessions, int Attempts, int Notifications, int Deliveries, int Operations);

    private static ApiReply ClockReply(MerchantClock clocks, TimeSpan offset) => new(200, Write(w => WriteClock(w, clocks, offset)));

    private static void WriteClock(Utf8JsonWriter w, MerchantClock clocks, TimeSpan offset)
    {
        w.WriteString("now", clocks.Now(offset).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteNumber("offset_seconds", (long)offset.TotalSeconds);
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, DokuJson.WriterOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}

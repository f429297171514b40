using System.Buffers;
using System.Text.Json;
using Lunas.Protocol.Wire;
using Lunas.Server.Notifications;
using Lunas.Server.Security;
using Lunas.Server.OpenApi;

namespace Lunas.Server.Sandbox;

/// <summary>
/// <c>/sandbox/v1/notification-faults</c>: what goes wrong with the merchant's next notifications (duplicates, delays,
/// drops, a forged copy, FAILED after SUCCESS). Signed like the simulator; mapped only while the sandbox is on.
/// </summary>
public static class NotificationFaultsApi
{
    public const string Path = "/sandbox/v1/notification-faults";

    public static IEndpointRouteBuilder MapNotificationFaults(this IEndpointRouteBuilder app)
    {
        app.MapPut(Path, PutAsync).RequireDokuSignature(hasBody: true)
            .Describe(OpenApiSetup.TestControlsTag, "SetNotificationFaults", "Set what goes wrong with the next notifications",
                "Replaces the merchant's faults: duplicate, delay, drop, bad_signature, out_of_order, each for a number of "
                + "notifications and optionally one channel.")
            .Takes<NotificationFaultList>().Answers<NotificationFaultList>(200, "The faults now set, with what remains of each.")
            .Fails(400, "A fault is invalid (naming it: faults[0].copies must be 2 to 10, …).");
        app.MapGet(Path, GetAsync).RequireDokuSignature(hasBody: false)
            .Describe(OpenApiSetup.TestControlsTag, "GetNotificationFaults", "The notification faults set")
            .Answers<NotificationFaultList>(200, "The faults, with what remains of each.");
        app.MapDelete(Path, DeleteAsync).RequireDokuSignature(hasBody: false)
            .Describe(OpenApiSetup.TestControlsTag, "ClearNotificationFaults", "Clear the notification faults")
            .Answers<NotificationFaultList>(200, "No faults.");
        return app;
    }

    private static async Task<ApiReply> PutAsync(SignedRequest signed, NotificationFaultStore store, CancellationToken cancellationToken)
    {
        if (!SandboxApi.TryReadObject(signed.Body, out var root, out var error)) return ApiReply.Error(400, error);
        var errors = new List<string>();
        var faults = NotificationFaults.Read(root, errors);
        if (errors.Count > 0) return new ApiReply(400, Infrastructure.ErrorBody.Create(errors));
        await store.ReplaceAsync(signed.ClientId, faults, cancellationToken);
        return await GetAsync(signed, store, cancellationToken);
    }

    private static async Task<ApiReply> GetAsync(SignedRequest signed, NotificationFaultStore store, CancellationToken cancellationToken)
        => new(200, Write(await store.ListAsync(signed.ClientId, cancellationToken)));

    private static async Task<ApiReply> DeleteAsync(SignedRequest signed, NotificationFaultStore store, CancellationToken cancellationToken)
    {
        await store.ReplaceAsync(signed.ClientId, [], cancellationToken);
        return new ApiReply(200, Write([]));
    }

    private static byte[] Write(IReadOnlyList<NotificationFault> faults)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, DokuJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteStartArray("faults");
            foreach (var f in faults)
            {
                w.WriteStartObject();
                w.WriteString("kind", f.Kind);
                if (NotificationFaults.AmountField(f.Kind) is { } field) w.WriteNumber(field, f.Amount);
                w.WriteNumber("times", f.Times);
                w.WriteNumber("remaining", f.Remaining);
                if (f.Channel is null) w.WriteNull("channel"); else w.WriteString("channel", f.Channel);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}

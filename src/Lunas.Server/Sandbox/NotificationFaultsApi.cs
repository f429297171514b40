using System.Buffers;
using System.Text.Json;
using Lunas.Protocol.Wire;
using Lunas.Server.Notifications;
using Lunas.Server.Security;

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
        app.MapPut(Path, PutAsync).RequireDokuSignature(hasBody: true);
        app.MapGet(Path, GetAsync).RequireDokuSignature(hasBody: false);
        app.MapDelete(Path, DeleteAsync).RequireDokuSignature(hasBody: false);
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

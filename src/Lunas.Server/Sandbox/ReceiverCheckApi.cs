using System.Buffers;
using System.Text.Json;
using Lunas.Protocol.Wire;
using Lunas.Server.Notifications;
using Lunas.Server.Security;
using Lunas.Server.OpenApi;

namespace Lunas.Server.Sandbox;

/// <summary><c>POST /sandbox/v1/receiver-checks</c>: runs the <see cref="ReceiverCheck"/> battery against a receiver and reports each case.</summary>
public static class ReceiverCheckApi
{
    public const string Path = "/sandbox/v1/receiver-checks";

    public static IEndpointRouteBuilder MapReceiverChecks(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, CheckAsync).RequireDokuSignature(hasBody: true, requestIdUse: RequestIdUse.Once)
            .Describe(OpenApiSetup.TestControlsTag, "CheckReceiver", "Check a notification receiver",
                "Sends a made-up notification correctly signed, the same again, and copies a receiver must refuse (wrong "
                + "signature, changed body, old timestamp, missing header, wrong target), and reports each answer.")
            .Takes<ReceiverCheckTarget>().Answers<Lunas.Client.ReceiverCheckReport>(200, "One case per copy sent; pass is true when all passed.")
            .Fails(400, "url is not an absolute http(s) URL, not an allowed destination, or missing with no notification URL set.")
            .Fails(409, "The Request-Id was used before.");
        return app;
    }

    private static async Task<ApiReply> CheckAsync(SignedRequest signed, NotificationSender sender, DestinationPolicy policy,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var root = default(JsonElement);
        if (!signed.Body.IsEmpty && !SandboxApi.TryReadObject(signed.Body, out root, out var error)) return ApiReply.Error(400, error);
        string? given = null;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("url", out var value) && value.ValueKind != JsonValueKind.Null)
        {
            // Not a string: an empty one, which the check refuses with the same message as a malformed URL.
            given = value.ValueKind == JsonValueKind.String ? value.GetString() : "";
        }
        if (ReceiverCheck.Target(given, signed.Merchant, policy, out var url) is { } refusal) return ApiReply.Error(400, refusal);

        var (invoice, cases) = await new ReceiverCheck(sender, clock).RunAsync(signed.Merchant, url, cancellationToken);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, DokuJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("url", url);
            w.WriteString("invoice_number", invoice);
            w.WriteBoolean("pass", cases.All(c => c.Pass));
            w.WriteStartArray("cases");
            foreach (var c in cases)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteString("expected", c.Expected);
                w.WriteString("got", c.Got);
                w.WriteBoolean("pass", c.Pass);
                w.WriteString("request_id", c.RequestId);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return new ApiReply(200, buffer.WrittenSpan.ToArray());
    }
}

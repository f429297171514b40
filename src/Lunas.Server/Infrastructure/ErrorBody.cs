using System.Buffers;
using System.Text.Json;
using Lunas.Protocol.Wire;

namespace Lunas.Server.Infrastructure;

/// <summary>DOKU error bodies: <c>{"error_messages": [...]}</c>, plus <c>message</c> for clients that read message[0].</summary>
public static class ErrorBody
{
    public static byte[] Create(IReadOnlyList<string> errors, bool withMessage = false)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, DokuJson.WriterOptions))
        {
            writer.WriteStartObject();
            if (withMessage)
            {
                writer.WriteStartArray("message");
                foreach (var error in errors) writer.WriteStringValue(error);
                writer.WriteEndArray();
            }
            writer.WriteStartArray("error_messages");
            foreach (var error in errors) writer.WriteStringValue(error);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static Task WriteAsync(HttpContext context, int status, IReadOnlyList<string> errors, CancellationToken cancellationToken)
    {
        var body = Create(errors);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, cancellationToken).AsTask();
    }
}

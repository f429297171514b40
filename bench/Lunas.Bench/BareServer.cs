using System.Text.Json;

namespace Lunas.Bench;

/// <summary>
/// The baseline: bare Kestrel with the same host builder as Lunas (slim builder, server GC), one endpoint that
/// reads the body, parses it with <see cref="JsonDocument"/> and writes the same JSON back. No logging, no
/// signature check, no storage. Lunas's rate divided by this rate is the ratio the benchmark tracks.
/// </summary>
internal static class BareServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/checkout/v1/payment", async context =>
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            context.Response.ContentType = "application/json";
            await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
            document.WriteTo(writer);
            await writer.FlushAsync(context.RequestAborted);
        });
        await app.RunAsync();
        return 0;
    }
}

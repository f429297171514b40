using Lunas.Server.Infrastructure;

namespace Lunas.Server.Security;

/// <summary>A JSON answer of a signed API: status code and body bytes.</summary>
public readonly record struct ApiReply(int Status, byte[] Body)
{
    public static ApiReply Error(int status, params string[] errors) => new(status, ErrorBody.Create(errors));
}

/// <summary>
/// The shared shape of every merchant-signed API (create payment, status, sandbox): read the raw body once (413 over
/// the limit), verify the DOKU headers over it (401 naming the failed check), run the handler, sign the answer.
/// </summary>
public static class SignedApi
{
    public delegate Task<ApiReply> Handler(HttpContext context, Authentication auth, ReadOnlyMemory<byte> body);

    public static RequestDelegate Create(bool hasBody, Handler handler) => async context =>
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<LunasOptions>();
        var clock = services.GetRequiredService<TimeProvider>();
        var cancellationToken = context.RequestAborted;

        var body = hasBody ? await RequestBody.ReadAsync(context.Request, options.MaxBodyBytes, cancellationToken) : new RequestBody.Result(default, false);
        var auth = await services.GetRequiredService<RequestAuthenticator>()
            .AuthenticateAsync(context.Request, body.Bytes, hasBody, cancellationToken);
        ApiReply reply;
        if (body.TooLarge)
        {
            reply = ApiReply.Error(413, $"request body is larger than {options.MaxBodyBytes} bytes");
        }
        else if (!auth.Succeeded)
        {
            reply = new ApiReply(401, ErrorBody.Create([auth.Error ?? "unauthorized"], withMessage: true));
        }
        else
        {
            reply = await handler(context, auth, body.Bytes);
        }
        // Once the work is done the answer is written even if the caller is gone, so nothing is half-answered.
        await ResponseSigner.WriteSignedAsync(context, reply.Status, reply.Body, auth, clock, CancellationToken.None);
    };
}

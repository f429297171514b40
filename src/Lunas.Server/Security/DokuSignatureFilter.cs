using Lunas.Server.Infrastructure;

namespace Lunas.Server.Security;

/// <summary>
/// The shared shape of every merchant-signed API (create payment, status, sandbox, notifications): check the headers'
/// shape (401), read the raw body once (413 over the limit), verify the DOKU signature over it (401 naming the failed check), hand the handler its
/// <see cref="SignedRequest"/>, and sign the <see cref="ApiReply"/> it returns over the exact bytes sent.
/// </summary>
public sealed class DokuSignatureFilter(RequestAuthenticator authenticator, ReplayGuard replays, LunasOptions options,
    TimeProvider clock, bool hasBody, bool singleUse, int signedArgument, string[] alternativeTargets) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var cancellationToken = context.RequestAborted;
        // The headers alone first: a malformed one costs no lookup, no cache entry and no body buffer.
        var (headers, rejected) = authenticator.CheckHeaders(context.Request);
        Authentication auth;
        ApiReply reply;
        if (rejected is not null)
        {
            (auth, reply) = (rejected, Unauthorized(rejected));
        }
        else
        {
            var body = hasBody
                ? await RequestBody.ReadAsync(context.Request, options.MaxBodyBytes, cancellationToken)
                : RequestBody.Result.None;
            auth = await authenticator.AuthenticateAsync(context.Request, headers, body.Bytes, hasBody, cancellationToken, alternativeTargets);
            if (body.TooLarge)
            {
                reply = ApiReply.Error(413, $"request body is larger than {options.MaxBodyBytes} bytes");
            }
            else if (!auth.Succeeded)
            {
                reply = Unauthorized(auth);
            }
            else if (singleUse && !await replays.TryUseAsync(auth.Merchant.ClientId, auth.RequestId, cancellationToken))
            {
                reply = ApiReply.Error(409, $"Request-Id {auth.RequestId} was already used; send each request with a new Request-Id");
            }
            else
            {
                invocation.Arguments[signedArgument] = new SignedRequest(auth.Merchant, auth.RequestId, auth.Digest, body.Bytes);
                reply = await next(invocation) is ApiReply answer
                    ? answer
                    : throw new InvalidOperationException($"{context.GetEndpoint()?.DisplayName} must return an ApiReply.");
            }
        }
        // Once the work is done the answer is written even if the caller is gone, so nothing is half-answered.
        await ResponseSigner.WriteSignedAsync(context, reply.Status, reply.Body, auth, clock, CancellationToken.None);
        return Results.Empty;
    }

    private static ApiReply Unauthorized(Authentication auth)
        => new(401, ErrorBody.Create([auth.Error ?? "unauthorized"], withMessage: true));
}

public static class DokuSignatureFilterExtensions
{
    /// <summary>
    /// Puts the route (or every route of a group) behind <see cref="DokuSignatureFilter"/>. Its handlers take a
    /// <see cref="SignedRequest"/> and return <c>Task&lt;ApiReply&gt;</c>; <paramref name="hasBody"/> says whether the
    /// signature covers a Digest of the body; <paramref name="singleUse"/> refuses (409) a Request-Id the merchant used
    /// before, ahead of the handler (<see cref="ReplayGuard"/>); a signature over one of <paramref name="alternativeTargets"/>
    /// is accepted too, and the answer is signed over the target that verified.
    /// </summary>
    public static TBuilder RequireDokuSignature<TBuilder>(this TBuilder builder, bool hasBody, bool singleUse = false,
        string[]? alternativeTargets = null)
        where TBuilder : IEndpointConventionBuilder
        => builder.AddEndpointFilterFactory((factory, next) =>
        {
            var index = Array.FindIndex(factory.MethodInfo.GetParameters(), p => p.ParameterType == typeof(SignedRequest));
            if (index < 0)
            {
                throw new InvalidOperationException($"{factory.MethodInfo.Name} is behind RequireDokuSignature but takes no SignedRequest.");
            }
            var services = factory.ApplicationServices;
            var filter = new DokuSignatureFilter(services.GetRequiredService<RequestAuthenticator>(),
                services.GetRequiredService<ReplayGuard>(), services.GetRequiredService<LunasOptions>(),
                services.GetRequiredService<TimeProvider>(), hasBody, singleUse, index, alternativeTargets ?? []);
            return invocation => filter.InvokeAsync(invocation, next);
        });
}

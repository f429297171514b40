using Lunas.Server.Infrastructure;
using Lunas.Server.Storage;

namespace Lunas.Server.Security;

/// <summary>
/// The shared shape of every merchant-signed API (create payment, status, sandbox, notifications): check the headers'
/// shape (401), read the raw body once (413 over the limit), verify the DOKU signature over it (401 naming the failed check), hand the handler its
/// <see cref="SignedRequest"/>, and sign the <see cref="ApiReply"/> it returns over the exact bytes sent.
/// </summary>
public sealed class DokuSignatureFilter(RequestAuthenticator authenticator, ReplayGuard replays, LunasOptions options,
    TimeProvider clock, bool hasBody, RequestIdUse requestIdUse, int signedArgument, string[] alternativeTargets) : IEndpointFilter
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
            else if (requestIdUse == RequestIdUse.Once && !await replays.TryUseAsync(auth.Merchant.ClientId, auth.RequestId, cancellationToken))
            {
                reply = Replayed(auth);
            }
            else
            {
                invocation.Arguments[signedArgument] = new SignedRequest(auth.Merchant, auth.RequestId, auth.Digest, body.Bytes);
                reply = requestIdUse == RequestIdUse.OnceWithFirstWrite
                    ? await RunMarkedAsync(invocation, next, auth.Merchant.ClientId, auth, cancellationToken)
                    : await RunAsync(invocation, next);
            }
        }
        // Once the work is done the answer is written even if the caller is gone, so nothing is half-answered.
        await ResponseSigner.WriteSignedAsync(context, reply.Status, reply.Body, auth, clock, CancellationToken.None);
        return Results.Empty;
    }

    /// <summary>
    /// The handler with the Request-Id's mark riding on its first write; a replay is refused by that write (nothing of
    /// it stored). A handler that wrote nothing (a 400, a 404, a state conflict) has the mark made after it instead.
    /// </summary>
    private async Task<ApiReply> RunMarkedAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next,
        string clientId, Authentication auth, CancellationToken cancellationToken)
    {
        var mark = replays.MarkWithFirstWrite(clientId, auth.RequestId);
        ApiReply reply;
        WritePrerequisite.Current = mark;
        try
        {
            reply = await RunAsync(invocation, next);
        }
        catch (WriteRefusedException)
        {
            return Replayed(auth);
        }
        finally
        {
            WritePrerequisite.Current = null;
        }
        return mark.IsCommitted || await replays.TryUseAsync(clientId, auth.RequestId, cancellationToken)
            ? reply
            : Replayed(auth);
    }

    private static async Task<ApiReply> RunAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
        => await next(invocation) is ApiReply answer
            ? answer
            : throw new InvalidOperationException($"{invocation.HttpContext.GetEndpoint()?.DisplayName} must return an ApiReply.");

    private static ApiReply Replayed(Authentication auth)
        => ApiReply.Error(409, $"Request-Id {auth.RequestId} was already used; send each request with a new Request-Id");

    private static ApiReply Unauthorized(Authentication auth)
        => new(401, ErrorBody.Create([auth.Error ?? "unauthorized"], withMessage: true));
}

public static class DokuSignatureFilterExtensions
{
    /// <summary>
    /// Puts the route (or every route of a group) behind <see cref="DokuSignatureFilter"/>. Its handlers take a
    /// <see cref="SignedRequest"/> and return <c>Task&lt;ApiReply&gt;</c>; <paramref name="hasBody"/> says whether the
    /// signature covers a Digest of the body; <paramref name="requestIdUse"/> says whether a Request-Id the merchant used
    /// before is refused (409, <see cref="ReplayGuard"/>); a signature over one of <paramref name="alternativeTargets"/>
    /// is accepted too, and the answer is signed over the target that verified.
    /// </summary>
    public static TBuilder RequireDokuSignature<TBuilder>(this TBuilder builder, bool hasBody, RequestIdUse requestIdUse = RequestIdUse.Any,
        string[]? alternativeTargets = null)
        where TBuilder : IEndpointConventionBuilder
    {
        // Its 401 and 413 answers are described in the OpenAPI document from this mark (OpenApi/OpenApiSetup).
        builder.WithMetadata(new DokuSignatureMetadata(hasBody, requestIdUse));
        return builder.AddEndpointFilterFactory((factory, next) =>
        {
            var index = Array.FindIndex(factory.MethodInfo.GetParameters(), p => p.ParameterType == typeof(SignedRequest));
            if (index < 0)
            {
                throw new InvalidOperationException($"{factory.MethodInfo.Name} is behind RequireDokuSignature but takes no SignedRequest.");
            }
            var services = factory.ApplicationServices;
            var filter = new DokuSignatureFilter(services.GetRequiredService<RequestAuthenticator>(),
                services.GetRequiredService<ReplayGuard>(), services.GetRequiredService<LunasOptions>(),
                services.GetRequiredService<TimeProvider>(), hasBody, requestIdUse, index, alternativeTargets ?? []);
            return invocation => filter.InvokeAsync(invocation, next);
        });
    }
}

/// <summary>How a signed route treats a Request-Id the merchant used before.</summary>
public enum RequestIdUse
{
    /// <summary>Not checked here (create payment keys its own; reads and idempotent operations repeat freely).</summary>
    Any,

    /// <summary>Refused (409) ahead of the handler: for a handler whose effect is not only a database write.</summary>
    Once,

    /// <summary>Refused by the handler's first database write, which carries the mark (one commit per request).</summary>
    OnceWithFirstWrite,
}

/// <summary>Marks a route behind <see cref="DokuSignatureFilter"/>, for its OpenAPI description (OpenApi/OpenApiSetup).</summary>
public sealed record DokuSignatureMetadata(bool HasBody, RequestIdUse RequestIdUse);

using System.Reflection;
using Lunas.Server.Infrastructure;
using Lunas.Server.Merchants;

namespace Lunas.Server.Security;

/// <summary>A JSON answer of a signed API: status code and body bytes, signed by <see cref="DokuSignatureFilter"/>.</summary>
public readonly record struct ApiReply(int Status, byte[] Body)
{
    public static ApiReply Error(int status, params string[] errors) => new(status, ErrorBody.Create(errors));
}

/// <summary>
/// A request whose DOKU signature was verified: the merchant who signed it and the raw body the signature covers.
/// A handler parameter of this type is filled by <see cref="DokuSignatureFilter"/> (<c>RequireDokuSignature</c>),
/// which runs after parameter binding; binding itself only reserves the slot.
/// </summary>
public readonly struct SignedRequest
{
    private readonly Merchant? _merchant;

    internal SignedRequest(Merchant merchant, string requestId, string? digest, ReadOnlyMemory<byte> body)
    {
        _merchant = merchant;
        RequestId = requestId;
        Digest = digest ?? "";
        Body = body;
    }

    /// <summary>The merchant whose Secret Key signed the request.</summary>
    public Merchant Merchant => _merchant
        ?? throw new InvalidOperationException("SignedRequest is only filled on routes with RequireDokuSignature.");

    public string ClientId => Merchant.ClientId;

    public string RequestId { get; }

    /// <summary>Base64 SHA-256 of <see cref="Body"/> as received; empty on a route without a body.</summary>
    public string Digest { get; }

    /// <summary>The body bytes exactly as received (read once, at most <c>Lunas:MaxBodyBytes</c>).</summary>
    public ReadOnlyMemory<byte> Body { get; }

    public static ValueTask<SignedRequest> BindAsync(HttpContext context, ParameterInfo parameter) => default;
}

using Microsoft.AspNetCore.Http.Features;

namespace Lunas.Server.Infrastructure;

public static class RouteText
{
    /// <summary>
    /// The last path segment as the client meant it, decoded exactly once from the raw request target. ASP.NET Core's
    /// route value keeps <c>%2F</c> encoded (so a slash cannot split a segment) while decoding everything else, so
    /// decoding that again would turn a literal <c>%2F</c> (sent as <c>%252F</c>) into a slash.
    /// </summary>
    public static string LastSegment(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        // Origin form ("/path?query") as clients send it; absolute form ("http://host/path") as a proxy may.
        var path = raw.StartsWith('/') ? raw.Split('?', 2)[0]
            : Uri.TryCreate(raw, UriKind.Absolute, out var uri) ? uri.AbsolutePath
            : context.Request.PathBase + context.Request.Path.ToUriComponent();
        return Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
    }
}

namespace Lunas.Server.Infrastructure;

public static class RouteText
{
    /// <summary>
    /// A route value as the client meant it. ASP.NET Core has already decoded every escape in the path except
    /// <c>%2F</c> (so that a slash cannot split a segment); that one is decoded here, and nothing is decoded twice.
    /// </summary>
    public static string Segment(HttpContext context, string name)
        => (context.Request.RouteValues[name]?.ToString() ?? "").Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
}

namespace Lunas.Server.OpenApi;

/// <summary>
/// How an endpoint describes its answers to the OpenAPI document: each status with its body type and what it means.
/// The handlers return <see cref="Security.ApiReply"/> bytes, so the document learns the shapes only from these.
/// </summary>
public static class ApiDocs
{
    private const string Json = "application/json";

    /// <summary>The request body is <typeparamref name="T"/> as JSON.</summary>
    public static RouteHandlerBuilder Takes<T>(this RouteHandlerBuilder builder) where T : notnull
        => builder.Accepts<T>(Json);

    /// <summary>An answer of <paramref name="status"/> with a <typeparamref name="T"/> body.</summary>
    public static RouteHandlerBuilder Answers<T>(this RouteHandlerBuilder builder, int status, string description)
        => builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(T), [Json]) { Description = description });

    /// <summary>An error answer with <c>{"error_messages": [...]}</c>, each message naming its field.</summary>
    public static RouteHandlerBuilder Fails(this RouteHandlerBuilder builder, int status, string description)
        => builder.Answers<CheckoutError>(status, description);

    /// <summary>An error answer with DOKU's Direct-API <c>{"error": {code, message, type}}</c>.</summary>
    public static RouteHandlerBuilder FailsDirect(this RouteHandlerBuilder builder, int status, string description)
        => builder.Answers<DirectError>(status, description);

    /// <summary>Tag, operation id and summary together.</summary>
    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder builder, string tag, string name, string summary,
        string? description = null)
    {
        builder.WithTags(tag).WithName(name).WithSummary(summary);
        return description is null ? builder : builder.WithDescription(description);
    }
}

using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Lunas.Server.OpenApi;

/// <summary>
/// How an endpoint describes its answers to the OpenAPI document: each status with its body type and what it means.
/// The handlers return <see cref="Security.ApiReply"/> bytes, so the document learns the shapes only from these.
/// </summary>
public static class ApiDocs
{
    internal const string Json = "application/json";

    /// <summary>
    /// The request body is <typeparamref name="T"/> as JSON. Documentation only: <c>Accepts</c> would make routing answer
    /// 415 to a request without a JSON content type before the signature filter and the handler's named-field errors.
    /// </summary>
    public static RouteHandlerBuilder Takes<T>(this RouteHandlerBuilder builder) where T : notnull
        => builder.WithMetadata(new DocumentedBody(typeof(T)));

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

/// <summary>The JSON body an endpoint reads itself, for the OpenAPI document only (see <see cref="ApiDocs.Takes{T}"/>).</summary>
public sealed record DocumentedBody(Type Type);

/// <summary>
/// Gives each endpoint marked with <see cref="DocumentedBody"/> a JSON body parameter in its API description, after
/// ASP.NET Core's own provider has described it, so the OpenAPI generator names the body and its nested types as
/// components exactly as it would for <c>Accepts</c>, while routing never sees an accepts constraint.
/// </summary>
internal sealed class DocumentedBodyProvider : IApiDescriptionProvider
{
    private static readonly EmptyModelMetadataProvider Metadata = new();

    /// <summary>After EndpointMetadataApiDescriptionProvider (-1100).</summary>
    public int Order => -1000;

    public void OnProvidersExecuting(ApiDescriptionProviderContext context) { }

    public void OnProvidersExecuted(ApiDescriptionProviderContext context)
    {
        foreach (var description in context.Results)
        {
            var body = description.ActionDescriptor.EndpointMetadata.OfType<DocumentedBody>().FirstOrDefault();
            if (body is null || description.ParameterDescriptions.Any(p => p.Source == BindingSource.Body)) continue;
            description.ParameterDescriptions.Add(new ApiParameterDescription
            {
                Name = "body",
                Source = BindingSource.Body,
                Type = body.Type,
                IsRequired = true,
                ModelMetadata = Metadata.GetMetadataForType(body.Type),
            });
            description.SupportedRequestFormats.Add(new ApiRequestFormat { MediaType = ApiDocs.Json });
        }
    }
}

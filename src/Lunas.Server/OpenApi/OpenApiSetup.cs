using System.Text.Json;
using System.Text.Json.Nodes;
using Lunas.Client;
using Lunas.Protocol.Channels;
using Lunas.Protocol.Wire;
using Lunas.Server.Security;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Lunas.Server.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document ASP.NET Core generates from the mapped endpoints (<c>GET /openapi/v1.json</c>), and Scalar's
/// reference over it (<c>GET /docs</c>, its script served from the package). The endpoints describe their own bodies
/// (<see cref="ApiDocs.Takes{T}"/>, <c>Produces</c>); this adds what routing cannot know: the DOKU signature as a security scheme on
/// every signed route, and the notifications Lunas sends as <c>webhooks</c>, one per channel family.
/// </summary>
public static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string DocsPath = "/docs";

    /// <summary>The headers every signed request carries; together they are the one security requirement.</summary>
    private static readonly (string Header, string Description)[] SignatureHeaders =
    [
        (DokuHeaders.ClientId, "The merchant's Client-Id (e.g. `BRN-0201-1234567890123`)."),
        (DokuHeaders.RequestId, "A unique id per request (a UUID); create payment is idempotent on it, sandbox steps refuse it twice."),
        (DokuHeaders.RequestTimestamp, "UTC time of the request, `yyyy-MM-ddTHH:mm:ssZ`, within 5 minutes of the server's clock."),
        (DokuHeaders.Signature, "`HMACSHA256=` + Base64(HMAC-SHA256(Secret Key, components)), the components being the lines "
            + "`Client-Id:…`, `Request-Id:…`, `Request-Timestamp:…`, `Request-Target:/path` and, with a body, "
            + "`Digest:` + Base64(SHA-256(body)), joined by a newline. Answers and notifications are signed the same way."),
    ];

    public static void AddLunasOpenApi(this WebApplicationBuilder builder)
    {
        // The schema types Lunas writes itself (ApiSchemas) are named as DOKU names fields; the SDK's models name theirs.
        // No handler binds JSON through these options: they read and write their bodies by hand.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Transient<IApiDescriptionProvider, DocumentedBodyProvider>());
        builder.Services.AddOpenApi(DocumentName, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.AddDocumentTransformer(DescribeDocumentAsync);
            options.AddOperationTransformer(DescribePathParameters);
            options.AddOperationTransformer(DescribeSignedOperation);
            options.AddSchemaTransformer(DescribeAllowedValues);
        });
    }

    public static IEndpointRouteBuilder MapLunasOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference(DocsPath, options =>
        {
            options.Title = "Lunas API reference";
            options.OpenApiRoutePattern = "/openapi/{documentName}.json";
            options.AddDocument(DocumentName);
            // Nothing from outside: the script is the package's own (served under /docs), no web fonts, no telemetry.
            options.DefaultFonts = false;
            options.Telemetry = false;
            options.HideClientButton = true;
        }).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// The handlers read their route values from the path themselves (to answer a bad one with a DOKU error body), so
    /// no parameter is bound for them: each <c>{name}</c> of the route is declared here, as a required string.
    /// </summary>
    private static Task DescribePathParameters(OpenApiOperation operation, OpenApiOperationTransformerContext context,
        CancellationToken cancellationToken)
    {
        var template = context.Description.RelativePath ?? "";
        foreach (var name in System.Text.RegularExpressions.Regex.Matches(template, "{([a-z_]+)}").Select(m => m.Groups[1].Value))
        {
            operation.Parameters ??= [];
            if (operation.Parameters.Any(p => p.Name == name && p.In == ParameterLocation.Path)) continue;
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Description = PathParameterDescriptions.GetValueOrDefault(name),
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
        return Task.CompletedTask;
    }

    private static readonly Dictionary<string, string> PathParameterDescriptions = new()
    {
        ["id"] = "The invoice number or the Request-Id of the create-payment call (status); the notification id (resend).",
        ["invoice"] = "The order's invoice number.",
    };

    /// <summary>A string property limited with <see cref="System.ComponentModel.DataAnnotations.AllowedValuesAttribute"/> gets them as its <c>enum</c>.</summary>
    private static Task DescribeAllowedValues(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var allowed = context.JsonPropertyInfo?.AttributeProvider?
            .GetCustomAttributes(typeof(System.ComponentModel.DataAnnotations.AllowedValuesAttribute), inherit: false)
            .OfType<System.ComponentModel.DataAnnotations.AllowedValuesAttribute>().FirstOrDefault();
        if (allowed is not null)
        {
            schema.Enum = allowed.Values.Select(v => (JsonNode)JsonValue.Create(v?.ToString())!).ToList();
        }
        return Task.CompletedTask;
    }

    private static async Task DescribeSignedOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context,
        CancellationToken cancellationToken)
    {
        var signed = context.Description.ActionDescriptor.EndpointMetadata.OfType<DokuSignatureMetadata>().FirstOrDefault();
        if (signed is null) return;
        operation.Security = [SignatureRequirement(context.Document)];
        var rules = signed.RequestIdUse == RequestIdUse.Any
            ? ""
            : " A Request-Id is acted on once: sent again it is answered 409.";
        operation.Description = (operation.Description + "\n\nSigned with the merchant's Secret Key (the four signature headers)."
            + (signed.HasBody ? " The signature covers the body's Digest." : "") + rules).Trim();

        // What DokuSignatureFilter answers before the handler runs.
        var error = await context.GetOrCreateSchemaAsync(typeof(CheckoutError), null, cancellationToken);
        operation.Responses ??= new OpenApiResponses();
        operation.Responses["401"] = ErrorResponse(error, "A signature header is missing or malformed, the timestamp is outside "
            + "5 minutes, or the signature does not verify (the message says which).");
        if (signed.HasBody) operation.Responses["413"] = ErrorResponse(error, "The body is larger than `Lunas:MaxBodyBytes`.");
    }

    private static OpenApiResponse ErrorResponse(IOpenApiSchema schema, string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
    };

    private static OpenApiSecurityRequirement SignatureRequirement(OpenApiDocument? document)
    {
        var requirement = new OpenApiSecurityRequirement();
        foreach (var (header, _) in SignatureHeaders) requirement[new OpenApiSecuritySchemeReference(header, document)] = [];
        return requirement;
    }

    private static async Task DescribeDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context,
        CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Lunas: the DOKU Checkout API, self-hosted",
            Version = "v1",
            Description = "The DOKU Checkout API as Lunas serves it: create payment, the status API, cancel, capture, void and "
                + "refund, byte for byte as DOKU; and what only Lunas has: the simulator (the bank's and the customer's side), "
                + "the sandbox clock, notification faults, the receiver check and the notification log. Every API request "
                + "is signed (the DokuSignature headers); errors name the field (`error_messages`, or DOKU's `error` object "
                + "on the post-payment endpoints). The notifications Lunas sends are the webhooks below.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        foreach (var (header, description) in SignatureHeaders)
        {
            document.Components.SecuritySchemes[header] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = header,
                Description = description,
            };
        }
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
        await AddWebhooksAsync(document, context, cancellationToken);
    }

    public const string CheckoutTag = "Checkout";
    public const string PostPaymentTag = "Post-payment";
    public const string SimulatorTag = "Simulator";
    public const string TestControlsTag = "Test controls";
    public const string NotificationsTag = "Notifications";

    private static readonly (string Name, string Description)[] Tags =
    [
        (CheckoutTag, "Create a payment and read its status, as DOKU's Checkout API."),
        (PostPaymentTag, "Cancel an unpaid order, capture a card authorization, void or refund a payment (DOKU's endpoints and bodies)."),
        (SimulatorTag, "Lunas only: act as the bank, the store, the wallet or the customer. Each answers with the order's status body."),
        (TestControlsTag, "Lunas only: the merchant's clock, notification faults, the receiver check and a reset of its data."),
        (NotificationsTag, "Lunas only: the delivery log of an invoice's notifications, and a resend."),
        (Infrastructure.Health.Tag, "Liveness and readiness probes, unsigned."),
    ];

    /// <summary>
    /// One webhook per channel family: the notification body is <see cref="DokuNotification"/> with the family's
    /// <c>service.id</c>, its channels, and the blocks Lunas writes for it (Payments/PaymentEnvelope).
    /// </summary>
    private static async Task AddWebhooksAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context,
        CancellationToken cancellationToken)
    {
        var envelope = await context.GetOrCreateSchemaAsync(typeof(DokuNotification), null, cancellationToken);
        document.AddComponent(nameof(DokuNotification), envelope);
        document.Webhooks ??= new Dictionary<string, IOpenApiPathItem>();
        foreach (var family in Enum.GetValues<ChannelFamily>())
        {
            var methods = PaymentMethods.All.Where(m => m.Family == family).ToArray();
            var serviceIds = methods.Select(m => m.ServiceId).Distinct().Order(StringComparer.Ordinal).ToArray();
            var blocks = NotificationBlocks(family);
            var body = new OpenApiSchema
            {
                AllOf =
                [
                    new OpenApiSchemaReference(nameof(DokuNotification), document),
                    new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string>(["service", "acquirer", "channel", "order", "transaction", blocks[0]]),
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["service"] = IdBlock(serviceIds),
                            ["channel"] = IdBlock(methods.Select(m => m.Value).ToArray()),
                        },
                    },
                ],
            };
            var operation = new OpenApiOperation
            {
                Summary = $"{FamilyName(family)} payment notification",
                Description = $"POSTed to the merchant's notification URL (or the order's `additional_info.override_notification_url`) "
                    + $"when a {FamilyName(family).ToLowerInvariant()} payment changes state: paid, failed, expired, captured, voided, refunded. "
                    + $"Its blocks: {string.Join(", ", blocks.Select(b => "`" + b + "`"))}. Signed as the API's answers are, over "
                    + "the notification URL's path; any 2xx answer acknowledges it, anything else is retried on the schedule.",
                Tags = new HashSet<OpenApiTagReference> { new(NotificationsTag, document) },
                Parameters = SignatureHeaders.Select(h => (IOpenApiParameter)new OpenApiParameter
                {
                    Name = h.Header,
                    In = ParameterLocation.Header,
                    Required = true,
                    Description = h.Description,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                }).ToList(),
                RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = body } },
                },
                Responses = new OpenApiResponses
                {
                    ["200"] = new OpenApiResponse { Description = "Received (any 2xx)." },
                    ["default"] = new OpenApiResponse { Description = "Not received: the notification is sent again later." },
                },
            };
            document.Webhooks["payment." + WireName(family)] = new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Post] = operation },
            };
        }
    }

    private static OpenApiSchema IdBlock(string[] values) => new()
    {
        Type = JsonSchemaType.Object,
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["id"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = values.Select(v => (JsonNode)JsonValue.Create(v)!).ToList() },
        },
    };

    /// <summary>The blocks a notification of the family carries, the always-present one first (Payments/PaymentEnvelope.WriteBlock).</summary>
    internal static string[] NotificationBlocks(ChannelFamily family) => family switch
    {
        ChannelFamily.VirtualAccount => ["virtual_account_info", "virtual_account_payment"],
        ChannelFamily.ConvenienceStore => ["online_to_offline_info", "online_to_offline_payment"],
        ChannelFamily.Card => ["card_payment", "authorize_id", "refund"],
        ChannelFamily.DirectDebit => ["card_payment"],
        ChannelFamily.EMoney => ["emoney_payment", "shopeepay_payment", "refund"],
        ChannelFamily.OnlineBanking => ["online_banking_payment"],
        ChannelFamily.Paylater => ["peer_to_peer_info", "refund"],
        ChannelFamily.Qris => ["qris_payment"],
    };

    private static string WireName(ChannelFamily family) => family switch
    {
        ChannelFamily.VirtualAccount => "virtual_account",
        ChannelFamily.ConvenienceStore => "online_to_offline",
        ChannelFamily.Card => "credit_card",
        ChannelFamily.DirectDebit => "direct_debit",
        ChannelFamily.EMoney => "emoney",
        ChannelFamily.OnlineBanking => "online_banking",
        ChannelFamily.Paylater => "peer_to_peer",
        ChannelFamily.Qris => "qris",
    };

    private static string FamilyName(ChannelFamily family) => family switch
    {
        ChannelFamily.VirtualAccount => "Virtual account",
        ChannelFamily.ConvenienceStore => "Convenience store",
        ChannelFamily.Card => "Card",
        ChannelFamily.DirectDebit => "Direct debit",
        ChannelFamily.EMoney => "E-money wallet",
        ChannelFamily.OnlineBanking => "Internet banking",
        ChannelFamily.Paylater => "Paylater",
        ChannelFamily.Qris => "QRIS",
    };
}

using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lunas.Protocol.Channels;
using Lunas.Server.Tests.Infrastructure;
using Lunas.Tests.Shared;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Lunas.Server.Tests.OpenApi;

/// <summary>
/// <c>GET /openapi/v1.json</c> and <c>GET /docs</c>: the document passes a standard OpenAPI 3.1 validator (npm, installed
/// by the test setup), lists every API route Lunas maps, and its schemas are the bodies Lunas really sends.
/// </summary>
public sealed partial class OpenApiTests : ServerTest
{
    public static string Validator => Path.Combine(Paths.RepoRoot, ".tools", "node_modules", ".bin", "validate-api");

    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();

    private async Task<JsonObject> DocumentAsync()
    {
        using var response = await Server.Http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    [Fact]
    public async Task Document_IsValidOpenApi31_ForAStandardValidator()
    {
        Assert.True(File.Exists(Validator), $"the OpenAPI validator is not installed at {Validator}; run ./test.sh (it installs the test tools)");
        var document = await DocumentAsync();
        Assert.StartsWith("3.1", (string)document["openapi"]!);
        var file = Path.Combine(Database.Directory ?? Path.GetTempPath(), "openapi.json");
        await File.WriteAllTextAsync(file, document.ToJsonString());

        var info = new ProcessStartInfo(Validator) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(file);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "the validator did not finish within a minute");
        var output = await stdout + await stderr;
        var result = JsonNode.Parse(await stdout)!;
        Assert.True((bool)result["valid"]!, output);
    }

    [Fact]
    public async Task EveryMappedApiRoute_IsInTheDocument_AndOnlyPagesAreLeftOut()
    {
        var paths = (await DocumentAsync())["paths"]!.AsObject();
        var endpoints = Server.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is not null).ToList();
        var documented = 0;
        foreach (var endpoint in endpoints)
        {
            var route = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var excluded = endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true };
            if (excluded)
            {
                // The HTML and assets for people (the console, the payment page, the reference) and the document itself.
                Assert.True(route == "/" || route.StartsWith("/console", StringComparison.Ordinal)
                    || route.StartsWith(global::Lunas.Server.Checkout.CheckoutApi.PagePathPrefix, StringComparison.Ordinal) || route == global::Lunas.Server.Pay.PayEndpoints.ScriptPath
                    || route.StartsWith("/docs", StringComparison.Ordinal) || route.StartsWith("/openapi/", StringComparison.Ordinal),
                    $"{route} is left out of the OpenAPI document");
                continue;
            }
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods)
            {
                Assert.True(paths[route]?[method.ToLowerInvariant()] is JsonObject, $"{method} {route} is not in the OpenAPI document");
                documented++;
            }
        }
        // What the issue names: create payment, status, the simulator, clock, faults, receiver check, reset, cancel,
        // capture, void and refund, notification log, resend, health.
        foreach (var (method, path) in new[]
                 {
                     ("post", "/checkout/v1/payment"), ("get", "/orders/v1/status/{id}"), ("post", "/sandbox/v1/payments"),
                     ("post", "/sandbox/v1/clock"), ("put", "/sandbox/v1/notification-faults"), ("post", "/sandbox/v1/receiver-checks"),
                     ("delete", "/sandbox/v1/data"), ("post", "/checkout/v3/cancellations"), ("post", "/credit-card/capture"),
                     ("post", "/cancellation/credit-card/refund"), ("post", "/shopeepay-emoney/v2/refund"),
                     ("get", "/notifications/v1/invoices/{invoice}"), ("post", "/notifications/v1/{id}/resend"), ("get", "/healthz"),
                 })
        {
            Assert.True(paths[path]?[method] is JsonObject, $"{method} {path} is not in the OpenAPI document");
        }
        Assert.Equal(documented, paths.Sum(p => p.Value!.AsObject().Count(o => o.Key != "parameters")));
    }

    [Fact]
    public async Task RequestBodies_AreNamedComponents_WithoutAContentTypeConstraintOnTheRoute()
    {
        var paths = (await DocumentAsync())["paths"]!.AsObject();
        var endpoints = Server.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<global::Lunas.Server.OpenApi.DocumentedBody>() is not null).ToList();
        Assert.True(endpoints.Count >= 15, $"only {endpoints.Count} routes document a body");
        foreach (var endpoint in endpoints)
        {
            var route = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var type = endpoint.Metadata.GetMetadata<global::Lunas.Server.OpenApi.DocumentedBody>()!.Type;
            var method = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods[0].ToLowerInvariant();
            var body = paths[route]![method]!["requestBody"];
            Assert.True(body is JsonObject, $"{method} {route} has no requestBody");
            Assert.Equal("#/components/schemas/" + type.Name, (string?)body!["content"]?["application/json"]?["schema"]?["$ref"]);
            // Routing would answer 415 to another content type before the signature filter and the named-field errors.
            Assert.Null(endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>());
        }
    }

    [Fact]
    public async Task SignedOperations_RequireTheFourDokuHeaders_AndDeclareTheirPathParameters()
    {
        var document = await DocumentAsync();
        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        foreach (var header in new[] { "Client-Id", "Request-Id", "Request-Timestamp", "Signature" })
        {
            Assert.Equal("apiKey", (string)schemes[header]!["type"]!);
            Assert.Equal("header", (string)schemes[header]!["in"]!);
            Assert.Equal(header, (string)schemes[header]!["name"]!);
        }
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var security = operation!["security"]?.AsArray();
                if (path is "/healthz" or "/readyz")
                {
                    Assert.True(security is null || security.Count == 0, $"{method} {path} should be unsigned");
                    continue;
                }
                Assert.True(security is { Count: 1 }, $"{method} {path} has no security requirement");
                Assert.Equal(["Client-Id", "Request-Id", "Request-Timestamp", "Signature"],
                    security[0]!.AsObject().Select(r => r.Key).Order(StringComparer.Ordinal));
                Assert.True(operation["responses"]?["401"] is JsonObject, $"{method} {path} does not document its 401");
                foreach (Match name in PathParameter().Matches(path))
                {
                    Assert.Contains(operation["parameters"]!.AsArray(),
                        p => (string)p!["name"]! == name.Groups[1].Value && (string)p["in"]! == "path" && (bool)p["required"]!);
                }
            }
        }
    }

    [Fact]
    public async Task Schemas_NameTheirFieldsInSnakeCase_AsDokuDoes()
    {
        var schemas = (await DocumentAsync())["components"]!["schemas"]!.AsObject();
        Assert.Contains("CheckoutRequest", schemas.Select(s => s.Key));
        var order = schemas["OrderInfo"]!["properties"]!.AsObject();
        Assert.True(order.ContainsKey("invoice_number") && order.ContainsKey("amount"));
        foreach (var (name, schema) in schemas)
        {
            foreach (var (property, _) in schema!["properties"]?.AsObject() ?? [])
            {
                // DOKU's own answer has one camelCase field, response.additional_info.origin.apiFormat, kept as DOKU sends it.
                Assert.True(SnakeCase().IsMatch(property) || (name, property) == ("CheckoutOrigin", "apiFormat"), $"{name}.{property} is not snake_case");
            }
        }
        var simulated = schemas["SimulatedPayment"]!;
        Assert.Equal(["SUCCESS", "FAILED"], simulated["properties"]!["result"]!["enum"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["error_messages"], schemas["CheckoutError"]!["required"]!.AsArray().Select(v => (string)v!));
    }

    [Fact]
    public async Task Webhooks_DescribeTheNotificationOfEachChannelFamily()
    {
        var document = await DocumentAsync();
        var webhooks = document["webhooks"]!.AsObject();
        Assert.Equal(Enum.GetValues<ChannelFamily>().Length, webhooks.Count);
        var qris = webhooks["payment.qris"]!["post"]!;
        Assert.Equal(4, qris["parameters"]!.AsArray().Count(p => (string)p!["in"]! == "header" && (bool)p["required"]!));
        var body = qris["requestBody"]!["content"]!["application/json"]!["schema"]!["allOf"]!.AsArray();
        Assert.Equal("#/components/schemas/DokuNotification", (string)body[0]!["$ref"]!);
        Assert.Contains("qris_payment", body[1]!["required"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["QRIS"], body[1]!["properties"]!["service"]!["properties"]!["id"]!["enum"]!.AsArray().Select(v => (string)v!));
        var va = webhooks["payment.virtual_account"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["allOf"]!.AsArray();
        Assert.Contains("VIRTUAL_ACCOUNT_BCA", va[1]!["properties"]!["channel"]!["properties"]!["id"]!["enum"]!.AsArray().Select(v => (string)v!));
        Assert.True(document["components"]!["schemas"]!["DokuNotification"]!["properties"]!["virtual_account_info"] is JsonObject);
    }

    /// <summary>
    /// The schemas are written beside hand-written JSON writers, so they are held to them: every field of real answers
    /// (create payment, status after a payment, the notification log with its body, an error, the clock) is in the schema.
    /// </summary>
    [Fact]
    public async Task RealAnswers_HaveNoFieldTheirSchemaLacks()
    {
        var document = await DocumentAsync();
        await using var receiver = await TestReceiver.StartAsync();
        var invoice = Seed.NewInvoice();
        var body = $$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}"},"payment":{"payment_method_types":["VIRTUAL_ACCOUNT_BCA"]},"additional_info":{"override_notification_url":"{{{receiver.BaseUrl}}}/notify"}}""";
        using (var created = await Server.CreatePaymentAsync(body))
        {
            await AssertMatchesAsync(document, created, "/checkout/v1/payment", "post", 200);
        }
        using (var paid = await Server.SimulateAsync(invoice, "VIRTUAL_ACCOUNT_BCA"))
        {
            await AssertMatchesAsync(document, paid, "/sandbox/v1/payments", "post", 200);
        }
        using (var status = await Server.GetSignedAsync("/orders/v1/status/" + invoice))
        {
            await AssertMatchesAsync(document, status, "/orders/v1/status/{id}", "get", 200);
        }
        await receiver.WaitForAsync(1);
        using (var log = await Server.GetSignedAsync("/notifications/v1/invoices/" + invoice))
        {
            await AssertMatchesAsync(document, log, "/notifications/v1/invoices/{invoice}", "get", 200);
        }
        using (var invalid = await Server.CreatePaymentAsync("""{"order":{"invoice_number":"X"}}"""))
        {
            await AssertMatchesAsync(document, invalid, "/checkout/v1/payment", "post", 400);
        }
        using (var clock = await Server.GetSignedAsync("/sandbox/v1/clock"))
        {
            await AssertMatchesAsync(document, clock, "/sandbox/v1/clock", "get", 200);
        }
    }

    [Fact]
    public async Task Docs_ServeScalarsReference_FromLunasItself()
    {
        using var page = await Server.Http.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("openapi/v1.json", html);
        foreach (Match reference in SourceOrLink().Matches(html))
        {
            Assert.DoesNotMatch("^(https?:)?//", reference.Groups[1].Value);
        }
        Assert.Contains("\"withDefaultFonts\":false", html);
        using var script = await Server.Http.GetAsync("/docs/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 100_000);
    }

    private static async Task AssertMatchesAsync(JsonObject document, HttpResponseMessage response, string path, string method, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{method} {path}: {(int)response.StatusCode} {text}");
        var schema = document["paths"]![path]![method]!["responses"]![status.ToString(System.Globalization.CultureInfo.InvariantCulture)]!
            ["content"]!["application/json"]!["schema"]!;
        var problems = new List<string>();
        Check(document, JsonNode.Parse(text), schema, "$", problems);
        Assert.True(problems.Count == 0, $"{method} {path} {status}: {string.Join("; ", problems)}\n{text}");
    }

    /// <summary>Every member of an object must be a property of its schema (through $ref, allOf, oneOf, anyOf), recursively.</summary>
    private static void Check(JsonObject document, JsonNode? value, JsonNode schema, string at, List<string> problems)
    {
        if (value is null) return;
        var resolved = Resolve(document, schema);
        if (value is JsonArray array)
        {
            if (resolved.Select(s => s["items"]).FirstOrDefault(i => i is not null) is { } items)
            {
                for (var i = 0; i < array.Count; i++) Check(document, array[i], items, $"{at}[{i}]", problems);
            }
            return;
        }
        if (value is not JsonObject obj) return;
        var properties = resolved.SelectMany(s => s["properties"]?.AsObject() ?? []).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value!);
        foreach (var (name, member) in obj)
        {
            if (!properties.TryGetValue(name, out var memberSchema)) problems.Add($"{at}.{name} is not in the schema");
            else Check(document, member, memberSchema, $"{at}.{name}", problems);
        }
    }

    private static List<JsonNode> Resolve(JsonObject document, JsonNode schema)
    {
        var all = new List<JsonNode>();
        if (schema["$ref"] is { } reference)
        {
            var name = ((string)reference!)["#/components/schemas/".Length..];
            all.AddRange(Resolve(document, document["components"]!["schemas"]![name]!));
        }
        // allOf parts all apply; a nullable member is oneOf/anyOf null and its type.
        foreach (var key in new[] { "allOf", "oneOf", "anyOf" })
        {
            foreach (var part in schema[key]?.AsArray() ?? []) all.AddRange(Resolve(document, part!));
        }
        all.Add(schema);
        return all;
    }

    [GeneratedRegex("{([a-z_]+)}")]
    private static partial Regex PathParameter();

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();

    [GeneratedRegex("(?:src|href)=\"([^\"]*)\"")]
    private static partial Regex SourceOrLink();
}

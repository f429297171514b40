using Lunas.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the DOKU Checkout client and the notification verifier.</summary>
public static class DokuCheckoutServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> the <see cref="DokuCheckoutClient"/> uses in <c>IHttpClientFactory</c>.</summary>
    public const string HttpClientName = "Lunas.Client.DokuCheckout";

    /// <summary>
    /// Registers <see cref="DokuCheckoutClient"/> as a typed client of <c>IHttpClientFactory</c> and
    /// <see cref="DokuNotificationVerifier"/> as a singleton, configured in code. The options are validated when the
    /// host starts. A registered <see cref="TimeProvider"/> is used for timestamps, otherwise the system clock.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets <see cref="DokuCheckoutOptions.BaseUrl"/>, <see cref="DokuCheckoutOptions.ClientId"/>, <see cref="DokuCheckoutOptions.SecretKey"/>, ….</param>
    /// <returns>The HTTP client builder, to add handlers or configure the primary handler.</returns>
    public static IHttpClientBuilder AddDokuCheckout(this IServiceCollection services, Action<DokuCheckoutOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<DokuCheckoutOptions>().Configure(configure);
        return AddCore(services);
    }

    /// <summary>
    /// Registers the client and the verifier with options bound from <paramref name="configuration"/>, e.g.
    /// <c>builder.Configuration.GetSection("Doku")</c> with keys <c>BaseUrl</c>, <c>ClientId</c>, <c>SecretKey</c>
    /// (environment variables <c>Doku__BaseUrl</c>, …).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section holding <see cref="DokuCheckoutOptions"/>.</param>
    /// <param name="configure">Optional further settings applied after binding.</param>
    /// <returns>The HTTP client builder, to add handlers or configure the primary handler.</returns>
    public static IHttpClientBuilder AddDokuCheckout(this IServiceCollection services, IConfiguration configuration,
        Action<DokuCheckoutOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddOptions<DokuCheckoutOptions>().Bind(configuration);
        if (configure is not null)
        {
            builder.Configure(configure);
        }
        return AddCore(services);
    }

    private static IHttpClientBuilder AddCore(IServiceCollection services)
    {
        services.AddOptions<DokuCheckoutOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DokuCheckoutOptions>, OptionsValidator>());
        services.TryAddSingleton(sp => new DokuNotificationVerifier(
            sp.GetRequiredService<IOptions<DokuCheckoutOptions>>().Value, sp.GetService<TimeProvider>()));
        var builder = services.AddHttpClient(HttpClientName);
        builder.AddTypedClient((http, sp) => new DokuCheckoutClient(
            http, sp.GetRequiredService<IOptions<DokuCheckoutOptions>>().Value, sp.GetService<TimeProvider>()));
        return builder;
    }

    private sealed class OptionsValidator : IValidateOptions<DokuCheckoutOptions>
    {
        public ValidateOptionsResult Validate(string? name, DokuCheckoutOptions options)
            => options.Validate() is { Count: > 0 } problems
                ? ValidateOptionsResult.Fail(problems.Select(p => "DokuCheckoutOptions: " + p))
                : ValidateOptionsResult.Success;
    }
}

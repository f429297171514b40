using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Lunas.Server.Storage;

/// <summary>
/// DataProtection's key ring in the data_protection_keys table, so every instance on one database protects and reads
/// console cookies and antiforgery tokens with the same keys, and a restart keeps them. The interface is synchronous;
/// DataProtection calls it at start, when it adds or revokes a key, and when it refreshes its cached ring (daily).
/// </summary>
public sealed class DatabaseXmlRepository(Database database, TimeProvider clock) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.Open();
        using var command = connection.Command("SELECT xml FROM data_protection_keys ORDER BY created_at, element_id");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        var now = clock.GetUtcNow();
        using var connection = database.Open();
        using var command = connection.Command("""
                INSERT INTO data_protection_keys (element_id, friendly_name, xml, created_at) VALUES (@id, @name, @xml, @at)
                """)
            .With("@id", Guid.CreateVersion7(now).ToString("N")).With("@name", friendlyName)
            .With("@xml", element.ToString(SaveOptions.DisableFormatting)).With("@at", now.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    /// <summary>DataProtection for Lunas: one application name on every instance, keys in the database.</summary>
    public static void AddTo(IServiceCollection services)
    {
        services.AddSingleton<DatabaseXmlRepository>();
        services.AddDataProtection().SetApplicationName("Lunas");
        services.AddOptions<KeyManagementOptions>().Configure<DatabaseXmlRepository>((o, repository) => o.XmlRepository = repository);
    }

    /// <summary>
    /// Makes the first key now, inside the start-up lock, when the database has none: instances starting together then
    /// share one key instead of each making its own (a cookie protected with a key another instance has not read yet
    /// would be refused until that instance's ring refreshes).
    /// </summary>
    public static void EnsureKey(IServiceProvider services)
        => services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Lunas.Startup").Protect([0]);
}

using Lunas.Server;
using Lunas.Server.Merchants;
using Lunas.Server.Notifications;

if (args.Length > 0 && args[0] == "merchants")
{
    return await MerchantsCli.RunAsync(args, Console.Out,
        (configuration, url) => DestinationPolicy.FromConfiguration(configuration).LiteralRefusal(url));
}

var app = LunasApp.Build(args);
await LunasApp.InitializeAsync(app);
await app.RunAsync();
return 0;

public partial class Program;

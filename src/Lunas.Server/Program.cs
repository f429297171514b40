using Lunas.Server;
using Lunas.Server.Merchants;

if (args.Length > 0 && args[0] == "merchants")
{
    return await MerchantsCli.RunAsync(args, Console.Out);
}

var app = LunasApp.Build(args);
await LunasApp.InitializeAsync(app);
await app.RunAsync();
return 0;

public partial class Program;

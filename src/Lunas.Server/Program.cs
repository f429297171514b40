using Lunas.Server;
using Lunas.Server.Cli;
using Lunas.Server.Merchants;
using Lunas.Server.Notifications;

if (LunasHelp.Wanted(args))
{
    await Console.Out.WriteAsync(args is ["merchants", ..] ? MerchantsCli.Usage + Environment.NewLine : LunasHelp.Text());
    return 0;
}
switch (args)
{
    case ["merchants", ..]:
        return await MerchantsCli.RunAsync(args, Console.Out,
            (configuration, url) => DestinationPolicy.FromConfiguration(configuration).LiteralRefusal(url));
    case ["serve", ..]:
        args = args[1..];
        break;
    // Anything else that is not a setting (--key value, /key value, key=value) is a mistyped command, not a server start.
    case [var command, ..] when !command.StartsWith('-') && !command.StartsWith('/') && !command.Contains('='):
        await Console.Error.WriteLineAsync($"lunas: unknown command '{command}'; `lunas --help` lists the commands.");
        return 2;
}

var app = LunasApp.Build(args);
await LunasApp.InitializeAsync(app);
await app.RunAsync();
return 0;

public partial class Program;

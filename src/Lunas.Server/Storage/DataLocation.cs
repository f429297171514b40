namespace Lunas.Server.Storage;

/// <summary>
/// Where the default SQLite database goes when <c>ConnectionStrings:Lunas</c> is not set: <c>./data</c> under the working
/// directory when Lunas runs from a checkout or a build output (<c>dotnet run</c>, <c>dotnet lunas.dll</c>), a per-user
/// folder when it runs installed (the <c>lunas</c> .NET tool, the single-file executable), whose working directory is
/// wherever its user happens to be.
/// </summary>
public static class DataLocation
{
    /// <summary>Set in the runtime configuration of a single-file publish (see Lunas.Server.csproj).</summary>
    public const string InstalledSwitch = "Lunas.Installed";

    /// <summary><c>data/lunas.db</c> from a checkout, <c>&lt;per-user folder&gt;/lunas.db</c> when installed.</summary>
    public static string DefaultSqlitePath()
    {
        var userFolder = PerUserFolder();
        return IsInstalled(AppContext.BaseDirectory) && userFolder is not null
            ? Path.Combine(userFolder, "lunas.db")
            : Database.DefaultSqlitePath;
    }

    /// <summary>
    /// <c>$XDG_DATA_HOME/lunas</c>, else <c>~/.local/share/lunas</c> (Linux); <c>~/Library/Application Support/lunas</c>
    /// (macOS); <c>%LOCALAPPDATA%\lunas</c> (Windows). Null when the user has no home folder.
    /// </summary>
    public static string? PerUserFolder()
    {
        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return string.IsNullOrEmpty(root) ? null : Path.Combine(root, "lunas");
    }

    /// <summary>
    /// Installed: a single-file build (its switch), or a .NET tool, whose files <c>dotnet tool install</c> puts under
    /// <c>.store/lunas/&lt;version&gt;/</c> of the tool folder (global: <c>~/.dotnet/tools</c>; or <c>--tool-path</c>).
    /// </summary>
    public static bool IsInstalled(string baseDirectory)
    {
        if (AppContext.TryGetSwitch(InstalledSwitch, out var installed) && installed)
        {
            return true;
        }
        var segments = baseDirectory.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i + 1 < segments.Length; i++)
        {
            if (segments[i] == ".store" && string.Equals(segments[i + 1], "lunas", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}

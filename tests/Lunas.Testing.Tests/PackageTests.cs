using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using Lunas.Tests.Shared;

namespace Lunas.Testing.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public class PackageCollection
{
    public const string Name = "dotnet pack Lunas.Testing (alone: it builds)";
}

/// <summary><c>dotnet pack</c> gives a package that carries the server itself and depends on Lunas.Client, not on a server package.</summary>
[Collection(PackageCollection.Name)]
public class PackageTests
{
    [Fact]
    public async Task Pack_ProducesAPackageWithTheServerAssemblyAndDocs_WhenPacked()
    {
        var output = Directory.CreateTempSubdirectory("lunas-testing-pack-");
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { "pack", Path.Combine(Paths.RepoRoot, "src", "Lunas.Testing", "Lunas.Testing.csproj"),
                    "-c", Paths.Configuration, "-o", output.FullName, "-nologo", "-v:q" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var pack = Process.Start(start)!;
            var log = pack.StandardOutput.ReadToEndAsync();
            var errors = pack.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await pack.WaitForExitAsync(timeout.Token);
            Assert.True(pack.ExitCode == 0, $"dotnet pack failed:\n{await log}\n{await errors}");

            var package = Assert.Single(output.GetFiles("Lunas.Testing.*.nupkg"));
            using var zip = ZipFile.OpenRead(package.FullName);
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
            foreach (var expected in new[] { "README.md", "lib/net10.0/Lunas.Testing.dll", "lib/net10.0/Lunas.Testing.xml", "lib/net10.0/lunas.dll" })
            {
                Assert.Contains(expected, entries);
            }
            await using var nuspec = zip.GetEntry("Lunas.Testing.nuspec")!.Open();
            var document = await XDocument.LoadAsync(nuspec, LoadOptions.None, CancellationToken.None);
            var dependencies = document.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")?.Value).ToList();
            Assert.Contains("Lunas.Client", dependencies);
            // lunas.dll is packed, not depended on: every package the server references must be a dependency here,
            // or a test project using Lunas.Testing fails with FileNotFoundException when the server starts.
            var server = XDocument.Load(Path.Combine(Paths.RepoRoot, "src", "Lunas.Server", "Lunas.Server.csproj"));
            foreach (var reference in server.Descendants("PackageReference").Select(e => e.Attribute("Include")!.Value))
            {
                Assert.Contains(reference, dependencies);
            }
            Assert.DoesNotContain("Lunas.Server", dependencies);
            Assert.DoesNotContain("Lunas.Protocol", dependencies);
            Assert.Contains(document.Descendants(), e => e.Name.LocalName == "frameworkReference" && e.Attribute("name")?.Value == "Microsoft.AspNetCore.App");
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}

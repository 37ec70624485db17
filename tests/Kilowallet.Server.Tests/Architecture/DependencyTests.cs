using System.Reflection;

namespace Kilowallet.Server.Tests.Architecture;

/// <summary>Dependencies point one way: Server → Domain, Protocols, Simulator; Simulator → Protocols; Domain and Protocols depend on nothing of ours.</summary>
public sealed class DependencyTests
{
    [Theory]
    [InlineData("Kilowallet.Domain", new string[0])]
    [InlineData("Kilowallet.Protocols", new string[0])]
    [InlineData("Kilowallet.Simulator", new[] { "Kilowallet.Protocols" })]
    public void Projects_reference_only_what_the_architecture_allows(string assembly, string[] allowed)
    {
        var references = Assembly.Load(assembly).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Kilowallet.", StringComparison.Ordinal))
            .ToList();
        Assert.All(references, r => Assert.Contains(r, allowed));
    }

    [Fact]
    public void The_domain_uses_only_the_base_library()
    {
        var references = Assembly.Load("Kilowallet.Domain").GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.All(references, r => Assert.True(r.StartsWith("System", StringComparison.Ordinal) || r == "netstandard", $"Domain references {r}"));
    }
}

using VmTeleport.Guests.Apt;

namespace VmTeleport.Guests.Tests.Apt;

/// <summary>Mutated source files: the parsers report, never throw, and every problem names its file and line.</summary>
public sealed class AptSourcesGarbageTests
{
    private const string OneLine = "deb [arch=amd64 signed-by=/k.gpg] \"http://x.example/a b\" bookworm main contrib # c\ndeb-src http://y.example/ ./\n";

    private const string Deb822 = "Types: deb deb-src\nURIs: http://x.example/\nSuites: bookworm\nComponents: main\nSigned-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n abc\n\nEnabled: no\nTypes: deb\n";

    private static readonly char[] Alphabet = " \t\n\r#[]\"=:,./-+!abcdeb822".ToCharArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Mutated_files_never_throw(bool deb822)
    {
        var random = new Random(deb822 ? 822 : 1);
        string seed = deb822 ? Deb822 : OneLine;
        for (int i = 0; i < 3000; i++)
        {
            var text = new System.Text.StringBuilder(seed);
            for (int j = random.Next(1, 8); j > 0; j--)
            {
                int at = random.Next(text.Length + 1);
                switch (random.Next(3))
                {
                    case 0 when at < text.Length:
                        text.Remove(at, 1);
                        break;
                    case 1 when at < text.Length:
                        text[at] = Alphabet[random.Next(Alphabet.Length)];
                        break;
                    default:
                        text.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                        break;
                }
            }

            var sources = new List<AptSource>();
            var problems = new List<string>();
            if (deb822)
            {
                Deb822SourceFormat.Parse("/f.sources", text.ToString(), sources, problems, 100);
            }
            else
            {
                OneLineSourceFormat.Parse("/f.list", text.ToString(), sources, problems, 100);
            }

            Assert.All(problems, p => Assert.Matches(@"^/f\.(list|sources):\d+: ", p));
            // Whatever is accepted as enabled obeys apt's rules.
            Assert.All(sources.Where(s => s.Enabled), s =>
            {
                Assert.True(s.Line >= 1);
                Assert.NotEmpty(s.Types);
                Assert.All(s.Types, t => Assert.Contains(t, new[] { "deb", "deb-src" }));
                Assert.NotEmpty(s.Uris);
                Assert.NotEmpty(s.Suites);
                Assert.False(s.Suites.Any(x => x.EndsWith('/')) && s.Components.Count > 0);
                Assert.False(s.Suites.Any(x => !x.EndsWith('/')) && s.Components.Count == 0);
            });
        }
    }
}

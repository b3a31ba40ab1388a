using VmTeleport.Guests.Dpkg;
using VmTeleport.TestSupport;

namespace VmTeleport.Guests.Tests.Dpkg;

/// <summary>
/// DebianVersion against the host's <c>dpkg --compare-versions</c> as the oracle: real versions of
/// the webserver guest's packages, hand-picked tricky ones, and a few hundred generated from the
/// characters that change the order (~, letters, +, ., digits with leading zeros, epochs, revisions).
/// </summary>
public sealed class DebianVersionDpkgTests
{
    private static readonly string[] Tricky =
    [
        "1:10.11.19-0+deb12u1", "10.11.19-0+deb12u1", "1:10.11.6-0+deb12u1", "2.4.71-1~deb12u1", "2.4.71-1", "2.4.71-1+deb12u1",
        "1.0~rc1", "1.0", "1.0a", "1.0+", "1.0.0", "1.0-0", "1.0-1", "1.00", "01.0", "1.0~", "1.0~~", "1.0~~a", "1.0~a", "1.0-1~",
        "0:1.0", "2:0.1", "1:1.0", "1.0-1-1", "1.0-1.1", "1.0+b1", "1.0-1+b1", "1.0.", "1.0+dfsg-1", "1.0~dfsg-1", "1:2:3-4",
        "7.88.1-10+deb12u8", "7.88.1-10+deb12u12", "252.36-1~deb12u1", "252.38-1~deb12u1", "3.0.15-1~deb12u1", "3.0.16-1~deb12u1",
        "9.2p1-2+deb12u5", "9.2p1-2+deb12u6", "1.2.13.dfsg-1", "1:1.2.13.dfsg-1", "2.36-9+deb12u10", "2.36-9+deb12u9",
        "6.1.0-37", "6.1.140-1", "20230210", "20230210.1", "2023.02.10", "0.0~git20230101.abcdef-1", "0.0~git20230102-1",
    ];

    [Fact]
    public void Orders_every_pair_as_dpkg_compare_versions_does()
    {
        var real = File.ReadAllLines(Fixtures.Path("webserver", "packages.txt"))
            .Select(l => l.Split(' ')).Where(f => f.Length >= 2).Select(f => f[1]).Distinct().ToList();
        Assert.True(real.Count > 100, $"only {real.Count} versions in packages.txt");

        var random = new Random(20261130);
        var pairs = new List<(string A, string B)>();
        foreach (var a in Tricky)
        {
            pairs.AddRange(Tricky.Where((_, i) => i % 9 == a.Length % 9).Select(b => (a, b)));
        }

        for (int i = 0; i < 120; i++)
        {
            var a = real[random.Next(real.Count)];
            pairs.Add((a, real[random.Next(real.Count)]));
            pairs.Add((a, Mutate(a, random)));
        }

        for (int i = 0; i < 200; i++)
        {
            var a = Generate(random);
            pairs.Add((a, random.Next(3) == 0 ? a : random.Next(2) == 0 ? Mutate(a, random) : Generate(random)));
        }

        var expected = DpkgOrder(pairs);
        var wrong = pairs.Select((p, i) => (p, Want: expected[i], Got: Math.Sign(DebianVersion.Compare(p.A, p.B))))
            .Where(x => x.Want != x.Got)
            .Select(x => $"{x.p.A} vs {x.p.B}: dpkg {x.Want}, ours {x.Got}")
            .ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {pairs.Count} pairs differ:\n{string.Join('\n', wrong.Take(20))}");
        Assert.True(pairs.Count > 400, $"{pairs.Count} pairs");
    }

    [Theory]
    [InlineData("1.0~rc1", "1.0", -1)]
    [InlineData("1.0a", "1.0+", -1)]
    [InlineData("1.0", "1.0+", -1)]
    [InlineData("1.0", "1.0-0", 0)]
    [InlineData("1.0", "1.00", 0)]
    [InlineData("1:10.11.19-0+deb12u1", "10.11.20-0+deb12u1", 1)]
    [InlineData("2.4.71-1~deb12u1", "2.4.71-1", -1)]
    public void Known_orders(string a, string b, int sign) => Assert.Equal(sign, Math.Sign(DebianVersion.Compare(a, b)));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("1.0 1", "embedded spaces")]
    [InlineData(":1.0", "epoch in version is empty")]
    [InlineData("a:1.0", "epoch in version is not a number")]
    [InlineData("99999999999:1.0", "epoch in version is too big")]
    [InlineData("1:", "nothing after colon")]
    [InlineData("1.0-", "revision number is empty")]
    [InlineData("-1", "version number is empty")]
    [InlineData("a1.0", "does not start with digit")]
    [InlineData("1.0_1", "invalid character '_' in version number")]
    [InlineData("1:1.0-1:2", "invalid character ':' in revision number")]
    public void Malformed_versions_are_refused_naming_what_is_wrong(string version, string message)
    {
        var e = Assert.Throws<FormatException>(() => DebianVersion.Parse(version));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{version}\"", e.Message, StringComparison.Ordinal);
        Assert.False(DebianVersion.TryParse(version, out _));
    }

    [Fact]
    public void Parts_are_split_at_the_first_colon_and_the_last_hyphen()
    {
        var v = DebianVersion.Parse("1:2.0-rc-3");
        Assert.Equal((1, "2.0-rc", "3"), (v.Epoch, v.Upstream, v.Revision));
        Assert.Equal("1:2.0-rc-3", v.ToString());
        Assert.Equal("2.0", DebianVersion.Parse("0:2.0").ToString());
    }

    /// <summary>-1, 0 or 1 for each pair, from one shell running dpkg --compare-versions per pair.</summary>
    private static int[] DpkgOrder(List<(string A, string B)> pairs)
    {
        var input = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(input, pairs.Select(p => $"{p.A} {p.B}"));
            // dpkg takes ~15 ms a call: the pairs are split over 4 shells, their outputs joined in order.
            var r = ExternalCommand.Run("bash", ["-c", $"""
                set -e
                cd "$(dirname '{input}')"
                split -n l/4 -d '{input}' '{Path.GetFileName(input)}.part'
                for f in '{Path.GetFileName(input)}'.part*; do
                  ( while read -r a b; do
                      if dpkg --compare-versions "$a" lt "$b" 2>/dev/null; then echo -1
                      elif dpkg --compare-versions "$a" eq "$b" 2>/dev/null; then echo 0
                      else echo 1; fi
                    done < "$f" > "$f.out" ) &
                done
                wait
                cat '{Path.GetFileName(input)}'.part*.out
                rm -f '{Path.GetFileName(input)}'.part*
                """], TimeSpan.FromMinutes(5));
            Assert.True(r.ExitCode == 0, r.StdErr);
            var lines = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
            Assert.Equal(pairs.Count, lines.Length);
            return lines;
        }
        finally
        {
            File.Delete(input);
        }
    }

    private const string Alphabet = "0123456789abzAZ.+~";

    /// <summary>A valid version: optional epoch, upstream starting with a digit, optional revision.</summary>
    private static string Generate(Random random)
    {
        string Part(int max) => new([.. Enumerable.Range(0, random.Next(1, max)).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
        var epoch = random.Next(4) == 0 ? $"{random.Next(3)}:" : "";
        var upstream = random.Next(10) + Part(6);
        var revision = random.Next(2) == 0 ? "-" + Part(5) : "";
        return epoch + upstream + revision;
    }

    /// <summary>The version with one character changed, inserted or appended (kept valid).</summary>
    private static string Mutate(string v, Random random)
    {
        string[] tails = ["~", "~1", "+b1", "a", ".1", "0", "+deb12u1", "~deb12u1"];
        for (int attempt = 0; attempt < 20; attempt++)
        {
            var candidate = random.Next(3) switch
            {
                0 => v + tails[random.Next(tails.Length)],
                1 => v.Insert(random.Next(1, v.Length + 1), Alphabet[random.Next(Alphabet.Length)].ToString()),
                _ => Replace(v, random),
            };
            if (DebianVersion.TryParse(candidate, out _))
            {
                return candidate;
            }
        }

        return v;
    }

    private static string Replace(string v, Random random)
    {
        int at = random.Next(v.Length);
        return v[..at] + Alphabet[random.Next(Alphabet.Length)] + v[(at + 1)..];
    }
}

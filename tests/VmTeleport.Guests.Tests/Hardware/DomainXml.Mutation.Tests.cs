using VmTeleport.Guests.Hardware;

namespace VmTeleport.Guests.Tests.Hardware;

/// <summary>
/// Seeded mutations of the samples (character flips, cut-outs, repeated slices, swapped
/// attribute values): every outcome is a parse or an InvalidDataException, nothing else.
/// </summary>
public sealed class DomainXmlMutationTests
{
    private static readonly string[] Values = ["", "-1", "0", "99999999999999999999", "x", "yes", "no", "&amp;", "<", "GiB", "EiB", "b"];

    public static TheoryData<string, int> Cases => new()
    {
        { nameof(DomainSamples.BiosI440fx), 1 },
        { nameof(DomainSamples.UefiQ35), 2 },
        { nameof(DomainSamples.StoredSnapshot), 3 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mutants_parse_or_are_invalid_data(string sample, int seed)
    {
        string xml = sample switch
        {
            nameof(DomainSamples.BiosI440fx) => DomainSamples.BiosI440fx,
            nameof(DomainSamples.UefiQ35) => DomainSamples.UefiQ35,
            _ => DomainSamples.StoredSnapshot,
        };
        bool snapshot = sample == nameof(DomainSamples.StoredSnapshot);
        var random = new Random(seed);
        int parsed = 0, refused = 0;
        for (int i = 0; i < 3000; i++)
        {
            string mutant = Mutate(xml, random);
            try
            {
                if (snapshot)
                {
                    DomainXml.ParseSnapshot(mutant, "mutant.xml");
                }
                else
                {
                    HardwareJson.Serialize(DomainXml.Parse(mutant, "mutant.xml"));
                }

                parsed++;
            }
            catch (InvalidDataException e)
            {
                Assert.StartsWith("mutant.xml: ", e.Message);
                refused++;
            }
        }

        // Both outcomes must occur, or the mutations are not exercising the parser.
        Assert.True(parsed > 100 && refused > 100, $"parsed {parsed}, refused {refused}");
    }

    private static string Mutate(string xml, Random random)
    {
        int at = random.Next(xml.Length);
        switch (random.Next(4))
        {
            case 0:
                return string.Concat(xml.AsSpan(0, at), ((char)random.Next(32, 127)).ToString(), xml.AsSpan(at + 1));
            case 1:
                int cut = Math.Min(random.Next(1, 40), xml.Length - at);
                return xml.Remove(at, cut);
            case 2:
                int len = Math.Min(random.Next(1, 200), xml.Length - at);
                return xml.Insert(at, xml.Substring(at, len));
            default:
                // Replace the value of one attribute or one text node with a hostile one.
                int quote = xml.IndexOf('\'', at);
                if (quote < 0)
                {
                    return xml;
                }

                int end = xml.IndexOf('\'', quote + 1);
                return end < 0 ? xml : string.Concat(xml.AsSpan(0, quote + 1), Values[random.Next(Values.Length)], xml.AsSpan(end));
        }
    }
}

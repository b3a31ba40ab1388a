using VmTeleport.Content.Index;
using VmTeleport.Content.Tests.Support;
using VmTeleport.TestSupport;

namespace VmTeleport.Content.Tests.Index;

/// <summary>An image written to while it is indexed (a VM started on it, a copy still arriving) leaves no rows.</summary>
public sealed class ContentIndexChangingTests
{
    private sealed class TouchOnFirstReport(string path) : IProgress<IndexProgress>
    {
        private bool _done;

        public void Report(IndexProgress value)
        {
            if (!_done)
            {
                _done = true;
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(5));
            }
        }
    }

    [Fact]
    public void An_image_that_changes_while_it_is_indexed_is_refused_and_nothing_of_it_is_written()
    {
        using var dir = new TempDirectory();
        var image = dir.Combine("busy.qcow2");
        File.Copy(Fixtures.Path("demo", "demo.qcow2"), image);
        using var index = ContentIndex.Open(dir.Combine("data"), 2);

        var results = index.AddImage(image, new TouchOnFirstReport(image));

        var current = results.Single(r => r.Kind == SourceKind.Image);
        Assert.Equal(AddOutcome.Failed, current.Outcome);
        Assert.Contains("changed while it was indexed", current.Error, StringComparison.Ordinal);
        Assert.Contains(image, current.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(index.Sources(), s => s.Kind == SourceKind.Image);
        Assert.Equal(index.Sources().Sum(s => s.Files), index.Summary().Files);

        // Once it is quiet, the same call indexes it.
        Assert.Equal(AddOutcome.Added, index.AddImage(image).Single(r => r.Kind == SourceKind.Image).Outcome);
    }
}

using System.Globalization;
using VmTeleport.Disks;
using VmTeleport.Guests;
using VmTeleport.Guests.Hardware;
using VmTeleport.Transfer.Protocol;

namespace VmTeleport.Transfer.Agent;

/// <summary>
/// A VM the agent serves. Its <see cref="ImageState"/> is computed on first use and again only
/// when the image file's size or mtime changes; requests wait for the one computation instead of
/// each walking the image.
/// </summary>
internal sealed class ServedVm : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<ImageState> _states = [];
    private readonly int _threads;
    private readonly DomainHardware? _hardware;
    private ImageState? _current;

    public ServedVm(ServedImage image, int threads)
    {
        Image = image;
        _threads = threads;
        (Path, Snapshot) = DiskImage.SplitSpec(image.ImageSpec);
        Path = System.IO.Path.GetFullPath(Path);
        _hardware = image.DomainXml is null ? null : DomainSource.LoadFile(image.DomainXml);

        // Opened once at start so that a wrong path or snapshot fails `serve`, not the first client.
        using var disk = DiskImage.Open(image.ImageSpec);
        Listing = new VmListing
        {
            Name = image.Name,
            Image = System.IO.Path.GetFileName(Path),
            Snapshot = Snapshot,
            Format = GuestInspector.FormatOf(Path),
            VirtualSize = disk.Length,
        };
    }

    public ServedImage Image { get; }

    public string Path { get; }

    public string? Snapshot { get; }

    public VmListing Listing { get; }

    /// <summary>The key of the image file as it is now: size and mtime.</summary>
    public string CurrentKey()
    {
        var info = new FileInfo(Path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"served image {Path} of VM {Image.Name} is gone", Path);
        }

        return string.Create(CultureInfo.InvariantCulture, $"{info.Length}-{info.LastWriteTimeUtc.Ticks}");
    }

    public async Task<ImageState> StateAsync(CancellationToken cancellationToken)
    {
        var key = CurrentKey();
        if (_current is { } ready && ready.Key == key)
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is { } other && other.Key == key)
            {
                return other;
            }

            var state = await Task.Run(() => ImageState.Build(Image.ImageSpec, key, _threads), cancellationToken).ConfigureAwait(false);
            var after = CurrentKey();
            if (after != key)
            {
                state.Dispose();
                throw new IOException($"image {Path} of VM {Image.Name} changed while its manifest was computed (size-mtime {key} → {after})");
            }

            _states.Add(state);
            _current = state;
            return state;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The current state with its description made, and with it what a plain copy of the image
    /// file would cost (<see cref="ImageState.PlainCopy"/>): both are the source's describe step.
    /// </summary>
    public Task<ImageState> DescriptionAsync(CancellationToken cancellationToken) =>
        OnceAsync(s => s.Description is not null, s =>
        {
            s.PlainCopy = new PlainCopyOffer(
                new FileInfo(Path).Length,
                PlainCopySource.EstimateCompressedBytes(Path),
                Listing.Format,
                PlainCopySource.Refusal(Image.Name, Path, Snapshot));
            s.Description = DescriptionJson.Serialize(GuestInspector.Inspect(s.Disk, new DescribedImage
            {
                Image = Path,
                Snapshot = Snapshot,
                Format = Listing.Format,
                VirtualSize = s.Disk.Length,
                AllocatedBytes = GuestInspector.AllocatedBytes(s.Disk),
            }, new InspectOptions { Threads = _threads, Hardware = _hardware }));
        }, cancellationToken);

    public Task<ImageState> LayoutAsync(CancellationToken cancellationToken) =>
        OnceAsync(s => s.Layout is not null, s => s.Layout = s.BuildLayout(), cancellationToken);

    /// <summary>
    /// The current state with one of its documents made: requests wait for the one computation
    /// (under the same gate as the state itself) instead of each reading the guest again.
    /// </summary>
    private async Task<ImageState> OnceAsync(Func<ImageState, bool> made, Action<ImageState> make, CancellationToken cancellationToken)
    {
        var state = await StateAsync(cancellationToken).ConfigureAwait(false);
        if (made(state))
        {
            return state;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!made(state))
            {
                await Task.Run(() => make(state), cancellationToken).ConfigureAwait(false);
            }

            return state;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        foreach (var s in _states)
        {
            s.Dispose();
        }

        _gate.Dispose();
    }
}

using VmTeleport.Transfer.Client;

namespace VmTeleport.Rebuild.Pull;

/// <summary>
/// The plain copy's download: the source's image file, as it is, into OUTPUT.partial (or, when
/// it must be converted to the qcow2 output, into OUTPUT.download.partial first). What an
/// interrupted run received stays, and the next run resumes from its length, provided the source
/// is still in the same image state (kept beside it in OUTPUT.state.partial).
/// </summary>
public sealed class ImageCopy
{
    private const int MaxAttempts = 4;

    public ImageCopy(string output, string sourceFormat)
    {
        ArgumentNullException.ThrowIfNull(output);
        Partial = output + ".partial";
        Convert = sourceFormat != "qcow2";
        Download = Convert ? output + ".download.partial" : Partial;
        StateFile = output + ".state.partial";
        SourceFormat = sourceFormat;
    }

    /// <summary>The qcow2 that verification reads and that becomes OUTPUT.</summary>
    public string Partial { get; }

    /// <summary>Where the file's bytes arrive (the source's format).</summary>
    public string Download { get; }

    public string StateFile { get; }

    public string SourceFormat { get; }

    /// <summary>The output is always a qcow2 (as teleport writes it): a raw source is converted.</summary>
    public bool Convert { get; }

    /// <summary>Bytes already downloaded that a run for <paramref name="imageState"/> can keep (0 when nothing, or another state's).</summary>
    public long Resumable(string imageState) =>
        File.Exists(Download) && File.Exists(StateFile) && File.ReadAllText(StateFile).Trim() == imageState ? new FileInfo(Download).Length : 0;

    /// <summary>
    /// Downloads the rest of the file. A stream that breaks is resumed from what arrived, up to
    /// <see cref="MaxAttempts"/> times; a changed image (409) discards the download. Returns the
    /// offset it resumed from and the bytes received in this run.
    /// </summary>
    public (long ResumedFrom, long Received) Fetch(AgentClient client, RemoteManifest manifest, int level, long fileBytes)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(manifest);
        long resumedFrom = Resumable(manifest.ImageState);
        if (resumedFrom > fileBytes)
        {
            resumedFrom = 0;
        }

        if (resumedFrom == 0)
        {
            Discard();
            File.WriteAllText(StateFile, manifest.ImageState + "\n");
        }

        long received = 0;
        for (int attempt = 1; ; attempt++)
        {
            bool done = false, changed = false;
            using (var file = new FileStream(Download, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, 1 << 20))
            {
                long at = file.Length;
                if (at > fileBytes)
                {
                    throw new InvalidDataException($"{Download} is longer ({at} bytes) than the source's image ({fileBytes} bytes)");
                }

                file.Position = at;
                try
                {
                    client.CopyImageAsync(manifest, at, level, file).GetAwaiter().GetResult();
                    done = true;
                }
                catch (AgentStateException)
                {
                    changed = true;
                }
                catch (IOException) when (attempt < MaxAttempts)
                {
                    // What arrived before the break is kept (flushed when the file closes); the next attempt asks from there.
                }
                finally
                {
                    received += file.Position - at;
                }
            }

            if (changed)
            {
                // The source changed since the manifest: this download is of no use to any later run.
                Discard();
                throw new AgentStateException($"the image of VM {manifest.Vm} changed during the copy; {Download} was discarded: pull again");
            }

            if (done)
            {
                break;
            }
        }

        return (resumedFrom, received);
    }

    /// <summary>A raw download becomes the qcow2 OUTPUT.partial (qemu-img convert), and the download is removed.</summary>
    public void ConvertToQcow2()
    {
        if (!Convert)
        {
            return;
        }

        File.Delete(Partial);
        ExternalTool.Run("qemu-img", ["convert", "-f", SourceFormat, "-O", "qcow2", Download, Partial]);
        File.Delete(Download);
    }

    /// <summary>Removes everything a copy leaves behind (after a failed verification, or when teleport runs instead).</summary>
    public void Discard()
    {
        File.Delete(Download);
        File.Delete(Partial);
        File.Delete(StateFile);
    }
}

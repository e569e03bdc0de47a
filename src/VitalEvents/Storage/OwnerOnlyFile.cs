namespace VitalEvents.Storage;

/// <summary>Secrets and the lists beside them on disk: owner-readable only, and never seen half-written.</summary>
public static class OwnerOnlyFile
{
    /// <summary>
    /// Writes the file whole under another name, then moves it into place: a process reading at the same time sees the old
    /// file or the new one. Without <paramref name="overwrite"/>, an existing file stays (the move throws an IOException).
    /// </summary>
    public static void Write(string path, string text, bool overwrite = false)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var staged = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(staged, options)) writer.Write(text);
        try
        {
            File.Move(staged, path, overwrite);
        }
        finally
        {
            File.Delete(staged);
        }
    }
}

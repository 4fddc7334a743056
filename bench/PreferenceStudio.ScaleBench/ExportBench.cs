namespace PreferenceStudio.ScaleBench;

internal static class ExportBench
{
    public static Task RunAsync(string connection, int limit) => throw new NotSupportedException("not yet");
}

namespace PreferenceStudio.ScaleBench;

internal static class PageQueries
{
    public static Task RunAsync(string connection) => throw new NotSupportedException("not yet");
}

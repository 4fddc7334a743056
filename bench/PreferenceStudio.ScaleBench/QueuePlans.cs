namespace PreferenceStudio.ScaleBench;

internal static class QueuePlans
{
    public static Task RunAsync(string connection) => throw new NotSupportedException("not yet");
}

namespace PreferenceStudio.ScaleBench;

internal static class QueueBench
{
    public static Task<int> RunAsync(string connection, int annotators, int leases) => throw new NotSupportedException("not yet");
}

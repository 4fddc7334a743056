namespace PreferenceStudio.Core.Tasks;

/// <summary>A response taking part in a task, at its canonical position (display order is shuffled per view).</summary>
public sealed class TaskResponse
{
    private TaskResponse() { }

    internal TaskResponse(int responseId, int position)
    {
        ResponseId = responseId;
        Position = position;
    }

    public long TaskId { get; private set; }
    public int ResponseId { get; private set; }
    public int Position { get; private set; }
}

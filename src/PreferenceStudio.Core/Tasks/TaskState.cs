namespace PreferenceStudio.Core.Tasks;

public enum TaskState
{
    /// <summary>Still needs annotations.</summary>
    Open = 0,
    /// <summary>Has as many annotations as the project's overlap asks.</summary>
    Complete = 1,
    /// <summary>Taken out of the pool by a researcher; its labels stay.</summary>
    Retired = 2,
}

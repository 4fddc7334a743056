namespace PreferenceStudio.Jobs;

public static class JobGroups
{
    /// <summary>Recurring housekeeping; its triggers are owned by code and re-declared at start-up.</summary>
    public const string Maintenance = "maintenance";

    /// <summary>Work a person launched: training runs, exports.</summary>
    public const string OnDemand = "on-demand";
}

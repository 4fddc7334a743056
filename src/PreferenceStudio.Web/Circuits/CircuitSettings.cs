namespace PreferenceStudio.Web.Circuits;

/// <summary>
/// The `Circuits` section of the configuration: how long a dropped circuit waits for its browser, how often a
/// circuit's user is checked against the database, and how often a sign-in cookie's security stamp is. See
/// docs/deployment.md for what each one trades.
/// </summary>
public sealed class CircuitSettings
{
    public const string Section = "Circuits";

    /// <summary>How long a circuit whose browser went away is kept for it to reconnect (its state, drafts in memory).</summary>
    public TimeSpan DisconnectedCircuitRetentionPeriod { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How many disconnected circuits a node keeps at most; the oldest go first.</summary>
    public int DisconnectedCircuitMaxRetained { get; set; } = 100;

    /// <summary>How long a call from the server into the browser's JavaScript may take before it fails.</summary>
    public TimeSpan JSInteropDefaultCallTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often an idle circuit's user is checked (exists, same security stamp: an admin's lock or a role change renews it).</summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one "still allowed" answer is reused for the next events of a circuit, so a burst of events costs one query.</summary>
    public TimeSpan AccessCheckCacheDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often an HTTP request's sign-in cookie is checked against the account's security stamp.</summary>
    public TimeSpan CookieStampValidationInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often the workspace renews an annotator's lease while they are doing something on the page (keys, mouse,
    /// typing); an idle page lets it run out. Keep it well under the shortest lease a project sets (minutes).
    /// </summary>
    public TimeSpan LeaseRenewalInterval { get; set; } = TimeSpan.FromMinutes(2);
}

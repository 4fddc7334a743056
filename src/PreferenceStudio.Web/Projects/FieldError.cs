namespace PreferenceStudio.Web.Projects;

/// <summary>A refusal that names the form field it belongs to, so a page can show it at that field.</summary>
public sealed record FieldError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}

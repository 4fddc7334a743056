using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace PreferenceStudio.Web.Projects;

/// <summary>
/// Field-by-field validation for the set-up form, as MudForm asks for it (model, property name): the form's own rules,
/// then what the server refused at that field on the last submit, shown while the field still holds the refused value.
/// </summary>
public sealed class ProjectSetupValidator
{
    private readonly Dictionary<string, (object? Value, List<string> Messages)> _refused = new(StringComparer.Ordinal);

    public void Refuse(ProjectSetupForm form, IEnumerable<FieldError> errors)
    {
        _refused.Clear();
        foreach (var group in errors.GroupBy(e => e.Field))
            _refused[group.Key] = (ValueOf(form, group.Key), group.Select(e => e.Message).ToList());
    }

    public IEnumerable<string> Validate(ProjectSetupForm form, string propertyName)
    {
        var property = typeof(ProjectSetupForm).GetProperty(propertyName);
        var messages = new List<string>();
        if (property is not null)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateProperty(property.GetValue(form), new ValidationContext(form) { MemberName = propertyName }, results);
            messages.AddRange(results.Select(r => r.ErrorMessage ?? $"{propertyName} is not valid."));
        }
        if (_refused.TryGetValue(propertyName, out var refused) && Equals(refused.Value, ValueOf(form, propertyName)))
            messages.AddRange(refused.Messages);
        return messages;
    }

    /// <summary>The shape MudForm's Validation takes.</summary>
    public Func<object, string, Task<IEnumerable<string>>> ForForm => (model, propertyName) =>
        Task.FromResult(Validate((ProjectSetupForm)model, propertyName));

    /// <summary>What the server refused at a field that is not one input (the kinds: four check boxes), while it still stands.</summary>
    public IEnumerable<string> RefusedAt(ProjectSetupForm form, string field) =>
        _refused.TryGetValue(field, out var refused) && Equals(refused.Value, ValueOf(form, field)) ? refused.Messages : [];

    private static object? ValueOf(ProjectSetupForm form, string field) =>
        typeof(ProjectSetupForm).GetProperty(field, BindingFlags.Public | BindingFlags.Instance)?.GetValue(form);
}

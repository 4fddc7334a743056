namespace PreferenceStudio.Core;

/// <summary>Machine keys (principles, span labels) appear in exports, so they are kept to a safe alphabet.</summary>
internal static class Keys
{
    public static string Valid(string key, string what)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 64 ||
            !key.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-'))
            throw new DomainException($"A {what} key must be 1 to 64 characters of a-z, 0-9, '_' and '-', got '{key}'.");
        return key;
    }
}

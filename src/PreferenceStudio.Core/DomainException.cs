namespace PreferenceStudio.Core;

/// <summary>A request that would put a domain object into an illegal state. The message says which rule.</summary>
public sealed class DomainException(string message) : Exception(message);

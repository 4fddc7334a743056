using PreferenceStudio.Models.Tokenization;

namespace PreferenceStudio.Training.Principles;

/// <summary>
/// One principle verdict as a training example: <see cref="InputIds"/> is prompt, response and principle in
/// <see cref="PrincipleTemplate"/>'s format; <see cref="Principle"/> names the principle (its key), for the metrics
/// per principle; <see cref="Satisfied"/> is the verdict (yes = 1, no = 0); <see cref="Weight"/> its weight in the loss.
/// </summary>
public sealed record PrincipleExample(IReadOnlyList<long> InputIds, string Principle, bool Satisfied, double Weight = 1)
{
    public float Target => Satisfied ? 1f : 0f;

    /// <summary>An example from text: the prompt's messages, the response, the principle's key and text, the verdict.</summary>
    public static PrincipleExample From(PrincipleTemplate template, IReadOnlyList<ChatMessage> prompt, string response,
        string principleKey, string principleText, bool satisfied, double weight = 1)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentException.ThrowIfNullOrWhiteSpace(principleKey);
        return new PrincipleExample(template.Encode(prompt, response, principleText), principleKey, satisfied, weight);
    }
}

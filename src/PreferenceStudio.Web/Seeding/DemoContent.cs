using PreferenceStudio.Core.Prompts;

namespace PreferenceStudio.Web.Seeding;

/// <summary>The demo project's text. One response carries markup on purpose: it must show as text.</summary>
internal static class DemoContent
{
    public const string Guidelines = """
        # How to judge

        You will compare, rank and mark model answers. Judge **helpfulness** first (does it answer what was asked,
        correctly and completely), then **honesty** (no invented facts, uncertainty stated), then **style**.

        - Prefer a short correct answer to a long wrong one.
        - "Much better" means you would be embarrassed to ship the other one.
        - Mark every factual error as a span, even in an answer you prefer overall.
        - Answers may contain code or markup: it is shown as text and never runs.
        """;

    public static readonly (string Key, string Text)[] Principles =
    [
        ("factual", "The response contains no factual errors."),
        ("answers-question", "The response answers the question that was asked."),
        ("concise", "The response is no longer than it needs to be."),
    ];

    public static readonly (string Key, string Name, string Description)[] SpanLabels =
    [
        ("factual-error", "Factual error", "A claim that is false or unsupported."),
        ("irrelevant", "Irrelevant", "Text that does not help answer the question."),
        ("incoherent", "Incoherent", "Text that contradicts itself or does not follow."),
        ("unsafe", "Unsafe", "Advice that could cause harm."),
    ];

    public sealed record DemoPrompt(string ExternalId, ChatTurn[] Conversation, (string Text, string Source)[] Responses);

    public static readonly DemoPrompt[] Prompts =
    [
        new("demo-1", [new("user", "Why is the sky blue?")],
        [
            ("Sunlight scatters off air molecules; shorter (blue) wavelengths scatter much more than red ones (Rayleigh scattering), so blue light reaches your eyes from every direction of the sky.", "demo-model-a"),
            ("Because the sky reflects the colour of the oceans.", "demo-model-b"),
            ("Rayleigh scattering: scattering strength goes as 1/λ⁴, so blue light is scattered about 5× more than red. At sunset light crosses more air and the blue is scattered away, leaving red 🌅.", "demo-model-c"),
        ]),
        new("demo-2", [new("system", "You are a concise assistant."), new("user", "How do I reverse a list in Python?"), new("assistant", "Do you want a new list or to reverse it in place?"), new("user", "In place, please.")],
        [
            ("Call `items.reverse()`; it reverses the list in place and returns None.", "demo-model-a"),
            ("Use `items = items[::-1]`, which reverses in place.", "demo-model-b"),
            ("`items.reverse()` — or `items[:] = items[::-1]` if you like slices.", "demo-model-c"),
        ]),
        new("demo-3", [new("user", "Write an HTML snippet that shows an alert.")],
        [
            ("Here you go: <script>alert('hi')</script>", "demo-model-a"),
            ("<img src=x onerror=\"alert('pwned')\"> is a classic trick, but prefer a button: <button onclick=\"alert('hi')\">Hi</button>", "demo-model-b"),
            ("Use `<script>alert(\"hello\")</script>` inside the body of your page.", "demo-model-c"),
        ]),
        new("demo-4", [new("user", "What is the capital of Australia?")],
        [
            ("Sydney.", "demo-model-a"),
            ("Canberra, chosen in 1908 as a compromise between Sydney and Melbourne.", "demo-model-b"),
            ("Canberra.", "demo-model-c"),
        ]),
    ];
}

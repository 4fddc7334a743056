using PreferenceStudio.Core.Import;
using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.Core.Tests.Import;

public class PromptFileParserTests
{
    private static Project AllKinds() => Builders.Project();

    private static (IReadOnlyList<ImportedPrompt> Prompts, IReadOnlyList<ImportError> Errors) Parse(Project project, params string[] lines) =>
        PromptFileParser.Parse(new StringReader(string.Join('\n', lines)), project);

    [Fact]
    public void Parse_ValidLines_ReadsPromptsResponsesAndDefaultKinds()
    {
        var (prompts, errors) = Parse(AllKinds(),
            """{"id": "q1", "prompt": "Why?", "responses": [{"text": "A", "model": "m1"}, {"text": "B <script>", "model": "m2"}]}""",
            "",
            """{"id": "q2", "conversation": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi 👋"}], "responses": [{"text": "1", "model": "a"}, {"text": "2", "model": "b"}, {"text": "3", "model": "c"}], "kinds": ["ranking"], "priority": 5, "metadata": {"topic": "greeting"}}""");

        errors.ShouldBeEmpty();
        prompts.Count.ShouldBe(2);
        prompts[0].Kinds.ShouldBe([TaskKind.Pairwise, TaskKind.Span, TaskKind.Principle]);
        prompts[0].Responses[1].Text.ShouldBe("B <script>");
        prompts[1].Line.ShouldBe(3);
        prompts[1].Conversation.Select(t => t.Role).ShouldBe(["system", "user"]);
        prompts[1].Kinds.ShouldBe([TaskKind.Ranking]);
        prompts[1].Priority.ShouldBe(5);
        prompts[1].MetadataJson.ShouldContain("greeting");
    }

    [Fact]
    public void Parse_BadLines_ReportsEachErrorWithLineAndFieldAndKeepsNoBadPrompt()
    {
        var (prompts, errors) = Parse(AllKinds(),
            """{"id": "ok", "prompt": "Fine", "responses": [{"text": "A", "model": "m"}, {"text": "B", "model": "m"}]}""",
            """{"id": "x", "prompt": "Q", "responses": [{"text": "A", "model": "m"}, {"model": "m"}]}""",
            "not json",
            """{"id": "y", "conversation": [{"role": "user", "content": "Q"}, {"role": "assistant", "content": "A"}], "responses": [{"text": "A", "model": "m"}]}""",
            """{"id": "z", "prompt": "Q", "responses": [{"text": "A", "model": "m"}], "kinds": ["ranking", "essay"]}""",
            """{"id": "ok", "prompt": "Again", "responses": [{"text": "A", "model": "m"}]}""");

        prompts.Select(p => p.ExternalId).ShouldBe(["ok"]);
        errors.Select(e => e.ToString()).ShouldBe([
            "line 2, responses[1].text: is missing or not a string.",
            "line 3: not valid JSON (the parser stopped at byte 2).",
            "line 4, conversation: the last turn must be the user's: it is what the responses answer.",
            "line 5, kinds: a Ranking task needs 3 to 9 responses; this line has 1.",
            "line 5, kinds: unknown kind \"essay\"; use pairwise, ranking, span or principle.",
            "line 6, id: 'ok' is already used on line 1.",
        ]);
    }

    [Fact]
    public void Parse_KindTheProjectDoesNotCollect_IsAnError()
    {
        var (_, errors) = Parse(Builders.Project(FeedbackKinds.Pairwise),
            """{"id": "q", "prompt": "Q", "responses": [{"text": "A", "model": "m"}, {"text": "B", "model": "m"}], "kinds": ["span"]}""");
        errors.Single().ToString().ShouldBe("line 1, kinds: this project does not collect Span feedback.");
    }

    [Fact]
    public void Parse_ResponsesThatFitNoKind_IsAnError()
    {
        var (_, errors) = Parse(Builders.Project(FeedbackKinds.Pairwise),
            """{"id": "q", "prompt": "Q", "responses": [{"text": "A", "model": "m"}]}""");
        errors.Single().Field.ShouldBe("responses");
    }

    [Fact]
    public void Parse_PromptAndConversationBoth_IsAnError()
    {
        var (_, errors) = Parse(AllKinds(),
            """{"id": "q", "prompt": "Q", "conversation": [{"role": "user", "content": "Q"}], "responses": [{"text": "A", "model": "m"}]}""");
        errors.Single().Field.ShouldBe("prompt");
    }

    [Fact]
    public void Parse_EmptyFile_SaysSo() =>
        Parse(AllKinds(), "", "  ").Errors.Single().Message.ShouldBe("the file holds no prompts.");
}

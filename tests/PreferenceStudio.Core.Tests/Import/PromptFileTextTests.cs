using System.Text;
using PreferenceStudio.Core.Import;

namespace PreferenceStudio.Core.Tests.Import;

/// <summary>Text an import must refuse with its line and field, because PostgreSQL cannot store it or it is not text.</summary>
public class PromptFileTextTests
{
    private const string Good = """{"id": "q1", "prompt": "Why?", "responses": [{"text": "A", "model": "m"}, {"text": "B", "model": "m"}]}""";

    [Theory]
    [InlineData("""{"id": "q\u0000", "prompt": "Why?", "responses": [{"text": "A", "model": "m"}, {"text": "B", "model": "m"}]}""", "id", "NUL")]
    [InlineData("""{"id": "q", "prompt": "Why?", "responses": [{"text": "A", "model": "m\u0000"}, {"text": "B", "model": "m"}]}""", "responses[0].model", "NUL")]
    [InlineData("""{"id": "q", "prompt": "Why?", "responses": [{"text": "A", "model": "m"}, {"text": "B", "model": "m"}], "metadata": {"a": ["x", "\u0000"]}}""", "metadata.a[1]", "NUL")]
    [InlineData("""{"id": "q", "prompt": "Why?", "responses": [{"text": "A\ud83d", "model": "m"}, {"text": "B", "model": "m"}]}""", "responses[0].text", "surrogate")]
    [InlineData("""{"id": "q", "prompt": "Why?", "responses": [{"text": "A", "model": "m"}, {"text": "B", "model": "m"}], "metadata": {"\udc00": 1}}""", "metadata", "surrogate")]
    public void Parse_UnstorableText_IsALocatedErrorAndTheLineIsNotKept(string line, string field, string what)
    {
        var (prompts, errors) = PromptFileParser.Parse(new StringReader(Good + "\n" + line), Builders.Project());

        prompts.Count.ShouldBe(1);
        var error = errors.ShouldHaveSingleItem();
        (error.Line, error.Field).ShouldBe((2, field));
        error.Message.ShouldContain(what);
    }

    [Fact]
    public void Parse_ProperSurrogatePairEscape_IsAccepted()
    {
        var (prompts, errors) = PromptFileParser.Parse(new StringReader(Good.Replace("Why?", "Why \\ud83d\\ude00?", StringComparison.Ordinal)), Builders.Project());

        errors.ShouldBeEmpty();
        prompts.Single().Conversation[0].Content.ShouldBe("Why 😀?");
    }

    [Fact]
    public void Parse_StreamWithInvalidUtf8_RefusesThatLineWithItsBytePositionAndReadsTheOthers()
    {
        var bytes = new List<byte>(Encoding.UTF8.GetBytes("\uFEFF" + Good + "\r\n"));
        var second = Encoding.UTF8.GetBytes(Good.Replace("q1", "q2", StringComparison.Ordinal));
        var secondStart = bytes.Count;
        bytes.AddRange(second[..10]);
        bytes.Add(0xFF); // never valid in UTF-8
        bytes.AddRange(second[10..]);
        bytes.AddRange("\n"u8.ToArray());
        bytes.AddRange(Encoding.UTF8.GetBytes(Good.Replace("q1", "q3 é", StringComparison.Ordinal)));

        var (prompts, errors) = PromptFileParser.Parse(new MemoryStream(bytes.ToArray()), Builders.Project());

        prompts.Select(p => p.ExternalId).ShouldBe(["q1", "q3 é"]);
        errors.ShouldHaveSingleItem().ToString()
            .ShouldBe($"line 2: byte 11 of the line (byte {secondStart + 11} of the file, 0xFF) is not valid UTF-8; save the file as UTF-8.");
    }

    [Fact]
    public void Parse_StreamEndingInATruncatedSequence_IsRefused()
    {
        var bytes = Encoding.UTF8.GetBytes(Good + "\n").Concat(new byte[] { 0xE2, 0x82 }).ToArray(); // the first two bytes of "€"

        var (_, errors) = PromptFileParser.Parse(new MemoryStream(bytes), Builders.Project());

        errors.ShouldHaveSingleItem().ToString().ShouldStartWith("line 2: byte 1 of the line");
    }
}

using PreferenceStudio.Models;
using PreferenceStudio.Models.Tokenization;

namespace PreferenceStudio.Training.Tests;

public sealed class TrlPreferenceDatasetTests : IDisposable
{
    private static readonly BpeTokenizer Tokenizer =
        BpeTokenizer.FromJson(BpeTrainer.TrainTokenizerJson(TinyCheckpoints.Corpus(), merges: 61, TinyCheckpoints.SpecialTokens));

    private readonly string file = Path.Combine(Path.GetTempPath(), $"trl-{Guid.NewGuid():N}.jsonl");

    public void Dispose() => File.Delete(file);

    private List<PreferencePair> Load(params string[] lines)
    {
        File.WriteAllLines(file, lines);
        return TrlPreferenceDataset.Load(file, Tokenizer);
    }

    [Fact]
    public void Load_MultiTurnRowAsTheExportWritesIt_TokenizesPromptWithChatMLAndClosesEachResponse()
    {
        var pairs = Load(
            """{"prompt":[{"role":"user","content":"Hi 👋"},{"role":"assistant","content":"Hello."},{"role":"user","content":"Sky colour?"}],"chosen":[{"role":"assistant","content":"Blue, by Rayleigh scattering."}],"rejected":[{"role":"assistant","content":"Green."}],"margin":2,"source":"pairwise","task_id":7,"annotator":"a"}""",
            "",
            """{"prompt":[{"role":"user","content":"x"}],"chosen":[{"role":"assistant","content":"a"}],"rejected":[{"role":"assistant","content":"b"}]}""");

        pairs.Count.ShouldBe(2);
        Tokenizer.Decode(pairs[0].Prompt).ShouldBe(ChatML.Format([new("user", "Hi 👋"), new("assistant", "Hello."), new("user", "Sky colour?")]));
        Tokenizer.Decode(pairs[0].Chosen).ShouldBe("Blue, by Rayleigh scattering." + ChatML.End);
        Tokenizer.Decode(pairs[0].Rejected).ShouldBe("Green." + ChatML.End);
        pairs[0].Margin.ShouldBe(2);
        pairs[1].Margin.ShouldBe(0);
        pairs[1].Weight.ShouldBe(1, "a row without a weight is one whole example");
    }

    [Fact]
    public void Load_WeightedRow_CarriesItsWeightIntoTheDpoExample()
    {
        var pairs = Load("""{"prompt":[{"role":"user","content":"x"}],"chosen":[{"role":"assistant","content":"a"}],"rejected":[{"role":"assistant","content":"b"}],"weight":0.25}""");

        pairs.Single().Weight.ShouldBe(0.25);
        DpoExample.From(pairs.Single()).Weight.ShouldBe(0.25);
    }

    [Theory]
    [InlineData("""{"prompt":[{"role":"user","content":"x"}],"chosen":[{"role":"assistant","content":"a"}]}""", "'rejected' must be an array of messages")]
    [InlineData("""{"prompt":[{"role":"user","content":"x"}],"chosen":[],"rejected":[{"role":"assistant","content":"b"}]}""", "'chosen' must hold exactly one assistant message")]
    [InlineData("""{"prompt":[{"role":"assistant","content":"x"}],"chosen":[{"role":"assistant","content":"a"}],"rejected":[{"role":"assistant","content":"b"}]}""", "'prompt' must end with a user message")]
    [InlineData("""{"prompt":[{"role":"user","content":"x"}],"chosen":[{"role":"assistant","content":"a<|im_end|>"}],"rejected":[{"role":"assistant","content":"b"}]}""", "'chosen' contains a ChatML control token")]
    [InlineData("""{"prompt":[{"role":"user","content":"x"}],"chosen":[{"role":"assistant","content":"a"}],"rejected":[{"role":"assistant","content":"b"}],"weight":0}""", "'weight' must be a positive number, got 0")]
    [InlineData("""{"prompt": [""", "line 2")]
    public void Load_MalformedRow_NamesTheLineAndWhatIsWrong(string badLine, string expected)
    {
        var good = """{"prompt":[{"role":"user","content":"x"}],"chosen":[{"role":"assistant","content":"a"}],"rejected":[{"role":"assistant","content":"b"}]}""";

        var error = Should.Throw<FormatException>(() => Load(good, badLine));

        error.Message.ShouldContain("line 2");
        error.Message.ShouldContain(expected);
    }
}

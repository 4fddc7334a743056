using PreferenceStudio.Models;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training.Ppo;

namespace PreferenceStudio.Training.Tests;

public sealed class PpoStopTokenTests
{
    private static BpeTokenizer Tokenizer(params string[] special) =>
        BpeTokenizer.FromJson(BpeTrainer.TrainTokenizerJson(TinyCheckpoints.Corpus(), merges: 61, special));

    [Fact]
    public void WithChatStop_NoStopNamed_EndsResponsesAtTheEndOfTurn()
    {
        var tokenizer = Tokenizer(TinyCheckpoints.SpecialTokens);

        var config = new PpoConfig().WithChatStop(tokenizer, "policy");

        config.StopTokenId.ShouldBe(tokenizer.TokenToId(ChatML.End));
    }

    [Fact]
    public void WithChatStop_StopNamed_KeepsIt()
    {
        var config = new PpoConfig { StopTokenId = 3 }.WithChatStop(Tokenizer(TinyCheckpoints.SpecialTokens), "policy");

        config.StopTokenId.ShouldBe(3);
    }

    [Fact]
    public void WithChatStop_NoStopNamedAndNoEndOfTurnToken_ThrowsNamingTheFolderAndTheField()
    {
        var error = Should.Throw<InvalidOperationException>(() => new PpoConfig().WithChatStop(Tokenizer("<|endoftext|>"), "runs/7/base"));

        error.Message.ShouldBe($"the tokenizer of runs/7/base has no {ChatML.End} token and the config names no stop_token_id");
    }
}

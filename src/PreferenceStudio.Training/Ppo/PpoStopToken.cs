using PreferenceStudio.Models;
using PreferenceStudio.Models.Tokenization;

namespace PreferenceStudio.Training.Ppo;

public static class PpoStopToken
{
    /// <summary>
    /// Where a sampled response ends: the config's stop_token_id, or else the chat model's end of turn, which the
    /// reward models also read as the end of a response. A policy whose tokenizer has neither cannot be trained with
    /// PPO here, and is refused before anything loads.
    /// </summary>
    public static PpoConfig WithChatStop(this PpoConfig config, BpeTokenizer tokenizer, string policyFolder)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tokenizer);
        return config.StopTokenId is not null ? config : config with
        {
            StopTokenId = tokenizer.TokenToId(ChatML.End)
                ?? throw new InvalidOperationException($"the tokenizer of {policyFolder} has no {ChatML.End} token and the config names no stop_token_id"),
        };
    }
}

using PreferenceStudio.Training.Principles;
using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Tests.Principles;

public class PrincipleRewardModelTests
{
    [Fact]
    public void Logits_AnExampleAloneAndCollatedBesideALongerOne_ScoreTheSame()
    {
        using var model = PlantedPrinciples.Model();
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var examples = PlantedPrinciples.Examples(PlantedPrinciples.Responses(12, seed: 5)).OrderBy(e => e.InputIds.Count).ToList();
        var (shortest, longest) = (examples[0], examples[^1]);
        longest.InputIds.Count.ShouldBeGreaterThan(shortest.InputIds.Count + 5);

        float Alone(PrincipleExample e)
        {
            var batch = PrincipleBatch.Collate([e], padTokenId: 0);
            return model.Logits(batch.InputIds, batch.AttentionMask).item<float>();
        }
        var together = PrincipleBatch.Collate([shortest, longest], padTokenId: 7);  // any pad id: it is never read
        var both = model.Logits(together.InputIds, together.AttentionMask).data<float>().ToArray();

        together.AttentionMask[0].sum().item<long>().ShouldBe(shortest.InputIds.Count);
        both[0].ShouldBe(Alone(shortest), 1e-5f);
        both[1].ShouldBe(Alone(longest), 1e-5f);
    }

    [Fact]
    public void SavePretrained_ThenFromPretrained_GivesTheSameLogitsAndKeepsTheHeadsBias()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"ps-principle-{Guid.NewGuid():N}");
        try
        {
            var examples = PlantedPrinciples.Examples(4, seed: 6);
            float[] Logits(PrincipleRewardModel m)
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var batch = PrincipleBatch.Collate(examples, 0);
                return m.Logits(batch.InputIds, batch.AttentionMask).data<float>().ToArray();
            }
            float[] saved;
            using (var model = PlantedPrinciples.Model(seed: 3))
            {
                model.eval();
                using (no_grad()) model.Head.Score.bias!.fill_(0.75);
                saved = Logits(model);
                model.SavePretrained(folder);
            }
            File.Exists(Path.Combine(folder, PrincipleRewardModel.HeadFile)).ShouldBeTrue();

            using var loaded = PrincipleRewardModel.FromPretrained(folder);

            loaded.training.ShouldBeFalse();
            Logits(loaded).ShouldBe(saved, 1e-6f);
            loaded.Head.Score.bias!.item<float>().ShouldBe(0.75f);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void TrainableParameters_AreTheModulesParametersWithoutTheLmHeadsOwn()
    {
        using var model = PlantedPrinciples.Model();

        var trainable = model.TrainableParameters();

        // Tied embeddings (tiny Qwen2): the LM head has no parameter of its own, so every one is trained.
        trainable.Count.ShouldBe(model.parameters().Count());
        trainable.ShouldContain(p => ReferenceEquals(p, model.Head.Score.bias));
    }
}

using PreferenceStudio.Training.Principles;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Tests.Principles;

public class PrincipleRewardTrainerTests(ITestOutputHelper output)
{
    // A tiny random model learns at a learning rate a pretrained one would not survive.
    private static readonly PrincipleRewardConfig Tiny = new() { LearningRate = 3e-3, BatchSize = 16, Epochs = 3, MaxLength = 120, WarmupRatio = 0.05 };

    [Fact]
    public void Train_PlantedPrincipleRules_HeldOutAccuracyPerPrincipleGoesFromChanceToNearlyAll()
    {
        using var model = PlantedPrinciples.Model();
        var trainer = new PrincipleRewardTrainer(model, Tiny);
        var heldOutResponses = PlantedPrinciples.Responses(100, seed: 2);
        var heldOut = PlantedPrinciples.Examples(heldOutResponses);
        // Where the two verdicts differ, a model blind to the principle's text gets exactly half right.
        var disagreeing = PlantedPrinciples.Examples(heldOutResponses.Where(r => r.HasColour != r.IsShort));
        var before = trainer.Evaluate(heldOut);

        var result = trainer.Train(PlantedPrinciples.Examples(300, seed: 1), heldOut);
        var onDisagreeing = trainer.Evaluate(disagreeing);

        foreach (var (key, value) in result.Eval.OrderBy(kv => kv.Key)) output.WriteLine($"{key} = {value:0.000} (before {before.GetValueOrDefault(key):0.000})");
        output.WriteLine($"{result.History.Count} steps, loss {result.History.Take(10).Average(s => s.Metrics["loss"]):0.000} -> {result.History.TakeLast(10).Average(s => s.Metrics["loss"]):0.000}");
        output.WriteLine($"accuracy where the verdicts differ: {onDisagreeing["eval_accuracy"]:0.000} on {disagreeing.Count}");
        before["eval_accuracy"].ShouldBeInRange(0.3, 0.7);
        result.Eval["eval_accuracy/colour"].ShouldBeGreaterThanOrEqualTo(0.85);
        result.Eval["eval_accuracy/short"].ShouldBeGreaterThanOrEqualTo(0.85);
        result.Eval["eval_mean_p/yes"].ShouldBeGreaterThan(result.Eval["eval_mean_p/no"] + 0.5);
        result.Eval["eval_examples/colour"].ShouldBe(100);
        onDisagreeing["eval_accuracy"].ShouldBeGreaterThanOrEqualTo(0.85);
    }
}

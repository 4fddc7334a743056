using PreferenceStudio.Models.Gpt2;
using PreferenceStudio.Models.Llama;
using static TorchSharp.torch;

namespace PreferenceStudio.Models.Tests;

/// <summary>
/// Logits against a separate PyTorch implementation written after Hugging Face's modeling code
/// (reference/reference_logits.py, run once with python3-torch; its printout is embedded here). Weights are a
/// closed-form function of tensor name and index, written to a checkpoint folder and loaded back.
/// </summary>
public class ReferenceLogitsTests
{
    public static TheoryData<string, double[]> Expected => new()
    {
        { "gpt2", [-3.944798, 1.495980, -1.495592, -2.128721, -4.754175, -1.346844, -3.989577, 0.603878] },
        { "qwen2", [-0.142274, -0.283074, -0.287966, 0.262351, -0.241279, -0.808716, -0.716566, 0.775616] },
        { "llama", [-0.336233, 0.085522, -0.156631, -0.139192, -1.209169, -0.100640, -0.846723, -0.089829] },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void Logits_match_the_PyTorch_reference(string architecture, double[] expected)
    {
        using var folder = new TempFolder();
        using (CausalLM made = architecture switch
        {
            "gpt2" => new Gpt2LMHeadModel(TinyModels.Gpt2()),
            "qwen2" => new LlamaForCausalLM(TinyModels.Qwen2()),
            _ => new LlamaForCausalLM(TinyModels.Llama()),
        })
        {
            FillByFormula(made);
            made.SavePretrained(folder.Path);
        }

        using var model = CausalLM.FromPretrained(folder.Path);
        model.training.ShouldBeFalse();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logits = model.forward(tensor(new[] { 3L, 17, 250, 99, 5, 42 }, [1, 6]));  // (1, 6, V)
        var actual = new List<double>();
        foreach (var t in new[] { 0, 5 })
            foreach (var v in new[] { 0, 1, 100, 319 })
                actual.Add(logits[0, t, v].item<float>());
        for (var i = 0; i < expected.Length; i++)
            actual[i].ShouldBe(expected[i], 2e-4, $"logit {i}");
    }

    // Parameter k in ordinal name order, element i: 0.1 sin(0.37 i + 1.3 k), plus 1 for norm scales (1-D ".weight").
    private static void FillByFormula(CausalLM model)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var state = model.StateDict();
        var k = 0;
        foreach (var name in state.Keys.Order(StringComparer.Ordinal))
        {
            var p = state[name];
            var values = new float[p.numel()];
            for (var i = 0; i < values.Length; i++)
                values[i] = (float)(0.1 * Math.Sin(0.37 * i + 1.3 * k) + (p.dim() == 1 && name.EndsWith(".weight", StringComparison.Ordinal) ? 1.0 : 0.0));
            p.copy_(tensor(values, p.shape));
            k++;
        }
    }
}

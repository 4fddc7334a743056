using PreferenceStudio.Torch;
using PreferenceStudio.Torch.NN;

namespace PreferenceStudio.Models.Llama;

/// <summary>SwiGLU feed-forward (Shazeer 2020): down(silu(gate(x)) * up(x)).</summary>
public sealed class LlamaMlp : Module
{
    public LlamaMlp(LlamaConfig config, Device? device, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(config);
        GateProj = RegisterModule("gate_proj", new Linear(config.HiddenSize, config.IntermediateSize, false, device, dtype));
        UpProj = RegisterModule("up_proj", new Linear(config.HiddenSize, config.IntermediateSize, false, device, dtype));
        DownProj = RegisterModule("down_proj", new Linear(config.IntermediateSize, config.HiddenSize, false, device, dtype));
    }

    public Linear GateProj { get; }
    public Linear UpProj { get; }
    public Linear DownProj { get; }

    // (B, T, C) -> (B, T, C)
    public Tensor Forward(Tensor x) => DownProj.Forward(GateProj.Forward(x).Silu() * UpProj.Forward(x));
}

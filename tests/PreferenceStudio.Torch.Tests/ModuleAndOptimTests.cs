using PreferenceStudio.Torch.NN;
using PreferenceStudio.Torch.Optim;

namespace PreferenceStudio.Torch.Tests;

public class ModuleAndOptimTests
{
    private sealed class Block : Module
    {
        public Block()
        {
            Norm = RegisterModule("ln", new LayerNorm(4));
            Proj = RegisterModule("proj", new Linear(4, 3, bias: false));
            Emb = RegisterModule("wte", new Embedding(5, 4));
            Rms = RegisterModule("rms", new RMSNorm(4));
        }

        public LayerNorm Norm { get; }
        public Linear Proj { get; }
        public Embedding Emb { get; }
        public RMSNorm Rms { get; }
    }

    [Fact]
    public void Named_parameters_use_dotted_paths_in_registration_order()
    {
        using var block = new Block();
        block.NamedParameters().Select(p => p.Name).ShouldBe(["ln.weight", "ln.bias", "proj.weight", "wte.weight", "rms.weight"]);
        block.ParameterCount().ShouldBe(4 + 4 + 12 + 20 + 4);
        block.Parameters().ShouldAllBe(p => p.RequiresGrad);
    }

    [Fact]
    public void Train_and_eval_switch_every_submodule()
    {
        using var block = new Block();
        block.Eval();
        block.Training.ShouldBeFalse();
        block.Proj.Training.ShouldBeFalse();
        block.Train();
        block.Norm.Training.ShouldBeTrue();
    }

    [Fact]
    public void State_dict_loads_into_a_fresh_module_and_rejects_mismatches()
    {
        using var a = new Block();
        using var b = new Block();
        b.LoadStateDict(a.StateDict());
        foreach (var ((_, pa), (_, pb)) in a.NamedParameters().Zip(b.NamedParameters()))
            pb.ToFloatArray().ShouldBe(pa.ToFloatArray());

        using var scope = DisposeScope.Enter();
        var wrong = a.StateDict();
        wrong["proj.weight"] = Tensor.Zeros([2, 2]);
        Should.Throw<InvalidOperationException>(() => b.LoadStateDict(wrong)).Message.ShouldContain("proj.weight");
        wrong.Remove("proj.weight");
        Should.Throw<InvalidOperationException>(() => b.LoadStateDict(wrong)).Message.ShouldContain("missing [proj.weight]");
        b.LoadStateDict(wrong, strict: false).Missing.ShouldBe(["proj.weight"]);
    }

    [Fact]
    public void Module_To_dtype_keeps_the_same_parameter_objects()
    {
        using var block = new Block();
        var weight = block.Proj.Weight;
        block.To(ScalarType.BFloat16);
        block.Proj.Weight.ShouldBeSameAs(weight);
        weight.DType.ShouldBe(ScalarType.BFloat16);
        block.To(Device.Cpu).To(ScalarType.Float32);
        weight.DType.ShouldBe(ScalarType.Float32);
    }

    [Fact]
    public void AdamW_step_matches_the_formula_computed_by_hand()
    {
        using var scope = DisposeScope.Enter();
        var p = Tensor.From([1f, -2, 0.5f, 3], [2, 2], requiresGrad: true);
        var bias = Tensor.From([0.5f], requiresGrad: true);
        using var adam = new AdamW([p, bias], lr: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1);
        double[] x = [1, -2, 0.5, 3];
        double[] m = new double[4], v = new double[4];
        for (var t = 1; t <= 3; t++)
        {
            adam.ZeroGrad();
            (p.Square() * 0.5 + bias * 0).Sum().Backward();  // grad = p; the bias gets a zero gradient
            adam.Step();
            for (var i = 0; i < 4; i++)
            {
                var g = x[i];
                x[i] *= 1 - 0.1 * 0.1;
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.99 * v[i] + 0.01 * g * g;
                var mHat = m[i] / (1 - Math.Pow(0.9, t));
                var vHat = v[i] / (1 - Math.Pow(0.99, t));
                x[i] -= 0.1 * mHat / (Math.Sqrt(vHat) + 1e-8);
            }
        }
        var actual = p.ToFloatArray();
        for (var i = 0; i < 4; i++) actual[i].ShouldBe((float)x[i], 1e-5f);
        bias.Item().ShouldBe(0.5, 1e-7);  // 1-D: no weight decay, zero gradient: unchanged
    }

    [Fact]
    public void Clip_grad_norm_scales_to_the_limit_and_returns_the_old_norm()
    {
        using var scope = DisposeScope.Enter();
        var a = Tensor.From([3f, 0], requiresGrad: true);
        var b = Tensor.From([0f, 4], requiresGrad: true);
        (a * a * 0.5 + b * b * 0.5).Sum().Backward();  // grads (3, 0) and (0, 4): norm 5
        GradClip.ClipGradNorm([a, b], 1.0).ShouldBe(5, 1e-5);
        a.Grad!.ToFloatArray()[0].ShouldBe(0.6f, 1e-5f);
        b.Grad!.ToFloatArray()[1].ShouldBe(0.8f, 1e-5f);
        GradClip.ClipGradNorm([a, b], 10.0).ShouldBe(1, 1e-5);
        a.Grad!.ToFloatArray()[0].ShouldBe(0.6f, 1e-5f);
    }

    [Fact]
    public void Warmup_cosine_schedule_rises_linearly_then_decays_to_the_floor()
    {
        var s = new WarmupCosineSchedule(MaxLr: 1.0, WarmupSteps: 10, TotalSteps: 110, MinLr: 0.1);
        s.At(0).ShouldBe(0.1, 1e-12);
        s.At(9).ShouldBe(1.0, 1e-12);
        s.At(10).ShouldBe(1.0, 1e-12);
        s.At(60).ShouldBe(0.55, 1e-12);  // half way down the cosine: (max + min) / 2
        s.At(110).ShouldBe(0.1, 1e-12);
        s.At(500).ShouldBe(0.1, 1e-12);
    }

    [Fact]
    public void Dropout_is_active_only_in_training()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.Ones([1000]);
        Functional.Dropout(x, 0.5, training: false).Sum().Item().ShouldBe(1000);
        var dropped = Functional.Dropout(x, 0.5, training: true).ToFloatArray();
        dropped.Count(v => v == 0).ShouldBeInRange(400, 600);
        dropped.Where(v => v != 0).ShouldAllBe(v => v == 2f);
    }
}

public class ModuleSaveTests
{
    private sealed class Pair : NN.Module
    {
        public Pair()
        {
            A = RegisterModule("a", new NN.Linear(3, 2));
            B = RegisterModule("b", new NN.LayerNorm(2));
        }

        public NN.Linear A { get; }
        public NN.LayerNorm B { get; }
    }

    [Fact]
    public void Save_and_load_round_trip_through_safetensors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ps-module-{Guid.NewGuid():N}.safetensors");
        try
        {
            using var a = new Pair();
            using var b = new Pair();
            a.Save(path);
            b.Load(path);
            b.A.Weight.ToFloatArray().ShouldBe(a.A.Weight.ToFloatArray());
            Serialization.SafeTensors.ReadHeader(path).Tensors.Select(t => t.Name).ShouldBe(["a.bias", "a.weight", "b.bias", "b.weight"]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

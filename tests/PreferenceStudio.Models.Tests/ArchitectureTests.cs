using PreferenceStudio.Models.Checkpoints;
using PreferenceStudio.Models.Gpt2;
using PreferenceStudio.Models.Llama;
using PreferenceStudio.Torch;
using PreferenceStudio.Torch.NN;
using PreferenceStudio.Torch.Optim;
using PreferenceStudio.Torch.Serialization;

namespace PreferenceStudio.Models.Tests;

public class ArchitectureTests
{
    public static TheoryData<string> Architectures => ["gpt2", "qwen2", "llama"];

    private static CausalLM Make(string architecture)
    {
        TorchRuntime.ManualSeed(7);
        return architecture switch
        {
            "gpt2" => new Gpt2LMHeadModel(TinyModels.Gpt2()),
            "qwen2" => new LlamaForCausalLM(TinyModels.Qwen2()),
            _ => new LlamaForCausalLM(TinyModels.Llama()),
        };
    }

    private static Tensor Ids(long b, long t) => Tensor.RandInt(0, 320, [b, t]);

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Checkpoint_in_Hugging_Face_layout_loads_back_with_identical_logits(string architecture)
    {
        using var folder = new TempFolder();
        using var model = Make(architecture);
        model.SavePretrained(folder.Path);
        File.Exists(Path.Combine(folder.Path, "config.json")).ShouldBeTrue();
        using var loaded = CausalLM.FromPretrained(folder.Path);
        loaded.ModelType.ShouldBe(architecture);

        using var scope = DisposeScope.Enter();
        using var noGrad = TorchRuntime.NoGrad();
        var ids = Ids(2, 9);
        loaded.Forward(ids).ToFloatArray().ShouldBe(model.Forward(ids).ToFloatArray());
    }

    [Fact]
    public void Hugging_Face_tensor_names_are_used()
    {
        using var gpt2 = Make("gpt2");
        var names = gpt2.StateDict().Keys.ToList();
        names.ShouldContain("transformer.wte.weight");
        names.ShouldContain("transformer.h.1.attn.c_attn.weight");
        names.ShouldContain("transformer.h.0.mlp.c_proj.bias");
        names.ShouldContain("transformer.ln_f.weight");
        names.ShouldNotContain("lm_head.weight");  // tied
        ((Gpt2LMHeadModel)gpt2).Transformer.H[0].Attn.CAttn.Weight.Shape.ShouldBe([64L, 192]);  // Conv1D: (in, out)

        using var qwen = Make("qwen2");
        var q = qwen.StateDict();
        q.Keys.ShouldContain("model.layers.1.self_attn.q_proj.bias");
        q.Keys.ShouldNotContain("model.layers.1.self_attn.o_proj.bias");
        q["model.layers.0.self_attn.k_proj.weight"].Shape.ShouldBe([32L, 64]);  // 2 kv heads × 16
        q.Keys.ShouldContain("model.layers.0.mlp.gate_proj.weight");
        q.Keys.ShouldContain("model.norm.weight");

        using var llama = Make("llama");
        llama.StateDict().Keys.ShouldContain("lm_head.weight");
    }

    [Fact]
    public void Sharded_checkpoint_with_index_loads_like_the_single_file()
    {
        using var folder = new TempFolder();
        using var model = Make("llama");
        model.SavePretrained(folder.Path, maxShardBytes: 100_000);
        File.Exists(Path.Combine(folder.Path, CheckpointFolder.IndexFile)).ShouldBeTrue();
        CheckpointFolder.WeightFiles(folder.Path).Count.ShouldBeGreaterThan(1);
        using var loaded = CausalLM.FromPretrained(folder.Path);
        using var scope = DisposeScope.Enter();
        using var noGrad = TorchRuntime.NoGrad();
        var ids = Ids(1, 5);
        loaded.Forward(ids).ToFloatArray().ShouldBe(model.Forward(ids).ToFloatArray());
    }

    [Fact]
    public void Safetensors_round_trips_dtypes_and_metadata()
    {
        using var folder = new TempFolder();
        using var scope = DisposeScope.Enter();
        var path = Path.Combine(folder.Path, "x.safetensors");
        var tensors = new Dictionary<string, Tensor>
        {
            ["a"] = Tensor.From([1f, 2, 3, 4], [2, 2]),
            ["b"] = Tensor.From([1f, -2.5f]).To(ScalarType.BFloat16),
            ["c"] = Tensor.From([5L, 6, 7]),
        };
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        var (infos, dataStart, metadata) = SafeTensors.ReadHeader(path);
        (dataStart % 8).ShouldBe(0);
        metadata["format"].ShouldBe("pt");
        infos.Select(i => i.Name).ShouldBe(["a", "b", "c"]);
        var back = SafeTensors.Load(path);
        foreach (var t in back.Values) scope.MoveToOuter(t);  // now owned by this scope
        back["a"].Shape.ShouldBe([2L, 2]);
        back["a"].ToFloatArray().ShouldBe([1f, 2, 3, 4]);
        back["b"].DType.ShouldBe(ScalarType.BFloat16);
        back["b"].ToFloatArray().ShouldBe([1f, -2.5f]);
        back["c"].ToInt64Array().ShouldBe([5L, 6, 7]);
        foreach (var t in back.Values) t.Dispose();
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Logits_with_the_KV_cache_equal_logits_without(string architecture)
    {
        using var model = Make(architecture);
        model.Eval();
        using var scope = DisposeScope.Enter();
        using var noGrad = TorchRuntime.NoGrad();
        var ids = Ids(2, 8);
        var full = model.Forward(ids);                                  // (B, T, V)
        using var cache = model.NewCache();
        var prefix = model.Forward(ids.Narrow(1, 0, 5), cache: cache);  // 5 tokens, then one at a time
        prefix.AllClose(full.Narrow(1, 0, 5), 1e-4, 1e-5).ShouldBeTrue();
        for (var t = 5; t < 8; t++)
        {
            var step = model.Forward(ids.Narrow(1, t, 1), cache: cache);
            step.AllClose(full.Narrow(1, t, 1), 1e-4, 1e-5).ShouldBeTrue($"position {t}");
        }
        cache.Length.ShouldBe(8);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Left_padding_with_a_mask_does_not_change_the_logits(string architecture)
    {
        using var model = Make(architecture);
        model.Eval();
        using var scope = DisposeScope.Enter();
        using var noGrad = TorchRuntime.NoGrad();
        var ids = Ids(1, 6);
        var alone = model.Forward(ids);                                          // (1, 6, V)
        var padded = Tensor.Cat([Tensor.Zeros([1, 3], ScalarType.Int64), ids], 1); // 3 pad tokens on the left
        var mask = Tensor.From([0L, 0, 0, 1, 1, 1, 1, 1, 1], [1, 9]);
        var withPadding = model.Forward(padded, mask).Narrow(1, 3, 6);
        withPadding.AllClose(alone, 1e-4, 1e-5).ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Training_on_a_tiny_corpus_drives_the_loss_down(string architecture)
    {
        // A repeating pattern a model can memorize: 0 1 2 ... 15 0 1 2 ...; random start offsets.
        using var model = Make(architecture);
        using var optimizer = new AdamW(model.Parameters(), lr: 3e-3, weightDecay: 0.01);
        var schedule = new WarmupCosineSchedule(3e-3, 10, 150, 3e-4);
        var before = Tensor.LiveCount;
        double first = 0, last = 0;
        var random = new Random(1);
        for (var step = 0; step < 150; step++)
        {
            using var scope = DisposeScope.Enter();
            var data = new long[8 * 16];
            for (var row = 0; row < 8; row++)
            {
                var start = random.Next(16);
                for (var t = 0; t < 16; t++) data[row * 16 + t] = (start + t) % 16;
            }
            var loss = model.LanguageModelingLoss(Tensor.From(data, [8, 16]));
            optimizer.ZeroGrad();
            loss.Backward();
            GradClip.ClipGradNorm(optimizer.Parameters, 1.0);
            optimizer.LearningRate = schedule.At(step);
            optimizer.Step();
            if (step == 0) first = loss.Item();
            if (step == 149) last = loss.Item();
        }
        first.ShouldBeGreaterThan(4.0);   // about ln(320) = 5.8 at random init
        last.ShouldBeLessThan(0.5);       // the next token is determined by the current one
        Tensor.LiveCount.ShouldBe(before);
    }

    [Fact]
    public void Scalar_head_reads_the_last_real_token()
    {
        using var model = Make("qwen2");
        using var head = new ScalarHead(model.HiddenSize);
        using var scope = DisposeScope.Enter();
        var ids = Ids(2, 5);
        var mask = Tensor.From([1L, 1, 1, 0, 0, 1, 1, 1, 1, 1], [2, 5]);  // right padding on row 0
        var hidden = model.ForwardHidden(ids, mask);
        var all = head.Forward(hidden);                                  // (B, T)
        all.Shape.ShouldBe([2L, 5]);
        var rewards = head.AtLastToken(hidden, mask).ToFloatArray();
        var values = all.ToFloatArray();
        rewards[0].ShouldBe(values[2]);
        rewards[1].ShouldBe(values[9]);
        head.StateDict().Keys.ShouldBe(["score.weight"]);
        head.AtLastToken(hidden, mask).Sum().Backward();
        head.Score.Weight.Grad.ShouldNotBeNull();
    }
}

public class BFloat16Tests
{
    [Fact]
    public void A_model_cast_to_bfloat16_gives_logits_close_to_float32()
    {
        TorchRuntime.ManualSeed(12);
        using var model = new LlamaForCausalLM(TinyModels.Qwen2());
        using var scope = DisposeScope.Enter();
        using var noGrad = TorchRuntime.NoGrad();
        var ids = Tensor.RandInt(0, 320, [2, 7]);
        var full = model.Forward(ids);
        model.To(ScalarType.BFloat16);
        var half = model.Forward(ids);
        half.DType.ShouldBe(ScalarType.BFloat16);
        var error = (half.To(ScalarType.Float32) - full).Abs().Max().Item();
        error.ShouldBeLessThan(0.1 * full.Abs().Max().Item());
    }
}

public class RopeScalingTests
{
    [Fact]
    public void Llama3_scaling_keeps_short_wavelengths_slows_long_ones_and_blends_between()
    {
        var s = new Llama.RopeScaling("llama3", Factor: 8, LowFreqFactor: 1, HighFreqFactor: 4, OriginalMaxPositionEmbeddings: 8192);
        // wavelengths 2π/f: 6.3 (< 2048: kept), 62832 (> 8192: divided by 8), 4096 (between: smooth = (2 - 1) / 3)
        double[] f = [1.0, 1e-4, 2 * Math.PI / 4096];
        var scaled = s.Apply(f);
        scaled[0].ShouldBe(1.0);
        scaled[1].ShouldBe(1e-4 / 8, 1e-15);
        var smooth = 1.0 / 3;
        scaled[2].ShouldBe((1 - smooth) * f[2] / 8 + smooth * f[2], 1e-15);
        new Llama.RopeScaling("linear", 2).Apply([0.5])[0].ShouldBe(0.25);
    }

    [Fact]
    public void A_config_with_rope_scaling_round_trips_through_config_json()
    {
        var config = TinyModels.Llama() with { RopeScaling = new Llama.RopeScaling("llama3", 8, 1, 4, 64) };
        Llama.LlamaConfig.FromJson(config.ToJson()).RopeScaling.ShouldBe(config.RopeScaling);
        Should.Throw<NotSupportedException>(() => Llama.LlamaConfig.FromJson(new System.Text.Json.Nodes.JsonObject
        {
            ["rope_scaling"] = new System.Text.Json.Nodes.JsonObject { ["rope_type"] = "yarn", ["factor"] = 4.0 },
        }));
    }
}

public class CheckpointMismatchTests
{
    [Fact]
    public void A_checkpoint_that_does_not_fit_its_config_names_the_missing_tensors()
    {
        using var folder = new TempFolder();
        TorchRuntime.ManualSeed(1);
        using (var model = new LlamaForCausalLM(TinyModels.Llama()))
            model.SavePretrained(folder.Path);
        var config = Path.Combine(folder.Path, "config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3", StringComparison.Ordinal));
        var e = Should.Throw<InvalidDataException>(() => CausalLM.FromPretrained(folder.Path));
        e.Message.ShouldContain("model.layers.2.self_attn.q_proj.weight");
    }
}

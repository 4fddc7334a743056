using PreferenceStudio.Models.Checkpoints;
using PreferenceStudio.Models.Gpt2;
using PreferenceStudio.Models.Llama;
using PreferenceStudio.Models.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Models.Tests;

public class ArchitectureTests
{
    public static TheoryData<string> Architectures => ["gpt2", "qwen2", "llama"];

    internal static CausalLM Make(string architecture, AttentionImplementation attention = AttentionImplementation.Sdpa)
    {
        manual_seed(7);
        return architecture switch
        {
            "gpt2" => new Gpt2LMHeadModel(TinyModels.Gpt2() with { Attention = attention }),
            "qwen2" => new LlamaForCausalLM(TinyModels.Qwen2() with { Attention = attention }),
            _ => new LlamaForCausalLM(TinyModels.Llama() with { Attention = attention }),
        };
    }

    private static Tensor Ids(long b, long t) => randint(0, 320, [b, t]);

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

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = Ids(2, 9);
        loaded.forward(ids).data<float>().ToArray().ShouldBe(model.forward(ids).data<float>().ToArray());
    }

    [Fact]
    public void FromPretrained_returns_an_eval_mode_model_whose_dropout_is_off()
    {
        // Hugging Face's default GPT-2 config has dropout 0.1 everywhere: in training mode two calls differ.
        using var folder = new TempFolder();
        manual_seed(3);
        using (var made = new Gpt2LMHeadModel(TinyModels.Gpt2() with { ResidPdrop = 0.1, EmbdPdrop = 0.1, AttnPdrop = 0.1 }))
            made.SavePretrained(folder.Path);

        using var model = CausalLM.FromPretrained(folder.Path);
        model.training.ShouldBeFalse();
        model.modules().ShouldAllBe(m => !m.training);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = Ids(1, 12);
        model.forward(ids).allclose(model.forward(ids), rtol: 0, atol: 0).ShouldBeTrue();
        model.train();
        model.forward(ids).allclose(model.forward(ids)).ShouldBeFalse();  // the test would see dropout if it were on
    }

    [Fact]
    public void DisableDropout_sets_every_dropout_to_zero_so_training_mode_is_deterministic()
    {
        manual_seed(4);
        using var model = new Gpt2LMHeadModel(TinyModels.Gpt2() with { ResidPdrop = 0.1, EmbdPdrop = 0.1, AttnPdrop = 0.1 });
        model.train();
        model.DisableDropout();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = Ids(1, 12);
        model.forward(ids).allclose(model.forward(ids), rtol: 0, atol: 0).ShouldBeTrue();
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
        ((Gpt2LMHeadModel)gpt2).Transformer.H[0].Attn.CAttn.Weight.shape.ShouldBe([64L, 192]);  // Conv1D: (in, out)

        using var qwen = Make("qwen2");
        var q = qwen.StateDict();
        q.Keys.ShouldContain("model.layers.1.self_attn.q_proj.bias");
        q.Keys.ShouldNotContain("model.layers.1.self_attn.o_proj.bias");
        q["model.layers.0.self_attn.k_proj.weight"].shape.ShouldBe([32L, 64]);  // 2 kv heads × 16
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
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = Ids(1, 5);
        loaded.forward(ids).data<float>().ToArray().ShouldBe(model.forward(ids).data<float>().ToArray());
    }

    [Fact]
    public void Safetensors_round_trips_dtypes_and_metadata()
    {
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        var path = Path.Combine(folder.Path, "x.safetensors");
        var tensors = new Dictionary<string, Tensor>
        {
            ["a"] = tensor(new[] { 1f, 2, 3, 4 }, [2, 2]),
            ["b"] = tensor(new[] { 1f, -2.5f }).to(ScalarType.BFloat16),
            ["c"] = tensor(new[] { 5L, 6, 7 }),
        };
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        var (infos, dataStart, metadata) = SafeTensors.ReadHeader(path);
        (dataStart % 8).ShouldBe(0);
        metadata["format"].ShouldBe("pt");
        infos.Select(i => i.Name).ShouldBe(["a", "b", "c"]);
        var back = SafeTensors.Load(path);
        foreach (var t in back.Values) scope.Attach(t);  // now owned by this scope
        back["a"].shape.ShouldBe([2L, 2]);
        back["a"].data<float>().ToArray().ShouldBe([1f, 2, 3, 4]);
        back["b"].dtype.ShouldBe(ScalarType.BFloat16);
        back["b"].to(ScalarType.Float32).data<float>().ToArray().ShouldBe([1f, -2.5f]);
        back["c"].data<long>().ToArray().ShouldBe([5L, 6, 7]);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Logits_with_the_KV_cache_equal_logits_without(string architecture)
    {
        using var model = Make(architecture);
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = Ids(2, 8);
        var full = model.forward(ids);                                  // (B, T, V)
        using var cache = model.NewCache();
        var prefix = model.forward(ids.narrow(1, 0, 5), null, cache: cache);  // 5 tokens, then one at a time
        prefix.allclose(full.narrow(1, 0, 5), 1e-4, 1e-5).ShouldBeTrue();
        for (var t = 5; t < 8; t++)
        {
            var step = model.forward(ids.narrow(1, t, 1), null, cache: cache);
            step.allclose(full.narrow(1, t, 1), 1e-4, 1e-5).ShouldBeTrue($"position {t}");
        }
        cache.Length.ShouldBe(8);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Left_padding_with_a_mask_does_not_change_the_logits(string architecture)
    {
        using var model = Make(architecture);
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = Ids(1, 6);
        var alone = model.forward(ids);                                              // (1, 6, V)
        var padded = cat([zeros([1, 3], ScalarType.Int64), ids], 1);                 // 3 pad tokens on the left
        var mask = tensor(new[] { 0L, 0, 0, 1, 1, 1, 1, 1, 1 }, [1, 9]);
        var withPadding = model.forward(padded, mask).narrow(1, 3, 6);
        withPadding.allclose(alone, 1e-4, 1e-5).ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Attention_written_out_gives_the_logits_of_the_fused_kernel(string architecture)
    {
        using var sdpa = Make(architecture);
        using var eager = Make(architecture, AttentionImplementation.Eager);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = Ids(2, 7);
        var mask = tensor(new[] { 0L, 0, 1, 1, 1, 1, 1, /**/ 1, 1, 1, 1, 1, 1, 1 }, [2, 7]);
        eager.forward(ids).allclose(sdpa.forward(ids), 1e-4, 1e-5).ShouldBeTrue();
        eager.forward(ids, mask).allclose(sdpa.forward(ids, mask), 1e-4, 1e-5).ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Training_on_a_tiny_corpus_drives_the_loss_down(string architecture)
    {
        // A repeating pattern a model can memorize: 0 1 2 ... 15 0 1 2 ...; random start offsets.
        using var model = Make(architecture);
        model.train();
        using var optimizer = optim.AdamW(model.parameters(), lr: 3e-3, weight_decay: 0.01);
        var schedule = new WarmupCosineSchedule(3e-3, 10, 150, 3e-4).ToLambdaLR(optimizer);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        double first = 0, last = 0;
        var random = new Random(1);
        for (var step = 0; step < 150; step++)
        {
            using var scope = NewDisposeScope();
            var data = new long[8 * 16];
            for (var row = 0; row < 8; row++)
            {
                var start = random.Next(16);
                for (var t = 0; t < 16; t++) data[row * 16 + t] = (start + t) % 16;
            }
            var loss = model.LanguageModelingLoss(tensor(data, [8, 16]));
            optimizer.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(model.parameters(), 1.0);
            optimizer.step();
            schedule.step();
            if (step == 0) first = loss.item<float>();
            if (step == 149) last = loss.item<float>();
        }
        first.ShouldBeGreaterThan(4.0);   // about ln(320) = 5.8 at random init
        last.ShouldBeLessThan(0.5);       // the next token is determined by the current one
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.ShouldBe(before);
    }

    [Fact]
    public void Scalar_head_reads_the_last_real_token()
    {
        using var model = Make("qwen2");
        using var head = new ScalarHead(model.HiddenSize);
        using var scope = NewDisposeScope();
        var ids = Ids(2, 5);
        var mask = tensor(new[] { 1L, 1, 1, 0, 0, 1, 1, 1, 1, 1 }, [2, 5]);  // right padding on row 0
        var hidden = model.ForwardHidden(ids, mask);
        var all = head.forward(hidden);                                  // (B, T)
        all.shape.ShouldBe([2L, 5]);
        var rewards = head.AtLastToken(hidden, mask).data<float>().ToArray();
        var values = all.data<float>().ToArray();
        rewards[0].ShouldBe(values[2]);
        rewards[1].ShouldBe(values[9]);
        head.state_dict().Keys.ShouldBe(["score.weight"]);
        head.AtLastToken(hidden, mask).sum().backward();
        head.Score.weight!.grad.ShouldNotBeNull();
    }
}

public class BFloat16Tests
{
    [Fact]
    public void A_model_cast_to_bfloat16_gives_logits_close_to_float32()
    {
        manual_seed(12);
        using var model = new LlamaForCausalLM(TinyModels.Qwen2());
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = randint(0, 320, [2, 7]);
        var full = model.forward(ids);
        model.to(ScalarType.BFloat16);
        var half = model.forward(ids);
        half.dtype.ShouldBe(ScalarType.BFloat16);
        var error = (half.to(ScalarType.Float32) - full).abs().max().item<float>();
        error.ShouldBeLessThan(0.1f * full.abs().max().item<float>());
    }
}

public class RopeScalingTests
{
    [Fact]
    public void Llama3_scaling_keeps_short_wavelengths_slows_long_ones_and_blends_between()
    {
        var s = new RopeScaling("llama3", Factor: 8, LowFreqFactor: 1, HighFreqFactor: 4, OriginalMaxPositionEmbeddings: 8192);
        // wavelengths 2π/f: 6.3 (< 2048: kept), 62832 (> 8192: divided by 8), 4096 (between: smooth = (2 - 1) / 3)
        double[] f = [1.0, 1e-4, 2 * Math.PI / 4096];
        var scaled = s.Apply(f);
        scaled[0].ShouldBe(1.0);
        scaled[1].ShouldBe(1e-4 / 8, 1e-15);
        var smooth = 1.0 / 3;
        scaled[2].ShouldBe((1 - smooth) * f[2] / 8 + smooth * f[2], 1e-15);
        new RopeScaling("linear", 2).Apply([0.5])[0].ShouldBe(0.25);
    }

    [Fact]
    public void A_config_with_rope_scaling_round_trips_through_config_json()
    {
        var config = TinyModels.Llama() with { RopeScaling = new RopeScaling("llama3", 8, 1, 4, 64) };
        LlamaConfig.FromJson(config.ToJson()).RopeScaling.ShouldBe(config.RopeScaling);
        Should.Throw<NotSupportedException>(() => LlamaConfig.FromJson(new System.Text.Json.Nodes.JsonObject
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
        manual_seed(1);
        using (var model = new LlamaForCausalLM(TinyModels.Llama()))
            model.SavePretrained(folder.Path);
        var config = Path.Combine(folder.Path, "config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3", StringComparison.Ordinal));
        var e = Should.Throw<InvalidDataException>(() => CausalLM.FromPretrained(folder.Path));
        e.Message.ShouldContain("model.layers.2.self_attn.q_proj.weight");
    }
}

using System.Diagnostics;
using PreferenceStudio.Torch.NN;
using PreferenceStudio.Torch.Optim;

namespace PreferenceStudio.Torch.Tests;

public class ErrorAndMemoryTests
{
    [Fact]
    public void Shape_mismatch_raises_TorchException_with_libtorchs_message()
    {
        using var scope = DisposeScope.Enter();
        var a = Tensor.Ones([2, 3]);
        var b = Tensor.Ones([4, 5]);
        var e = Should.Throw<TorchException>(() => a.MatMul(b));
        e.Message.ShouldContain("cannot be multiplied");
        e.Message.ShouldContain("2x3 and 4x5");
        Should.Throw<TorchException>(() => a.View(7)).Message.ShouldContain("invalid for input of size 6");
        // The thread is fine afterwards.
        a.MatMul(Tensor.Ones([3, 1])).Shape.ShouldBe([2L, 1]);
    }

    [Fact]
    public void Bad_device_raises_a_managed_exception()
    {
        using var scope = DisposeScope.Enter();
        if (TorchRuntime.CudaIsAvailable) return;
        Should.Throw<TorchException>(() => Tensor.Zeros([2], device: Device.Cuda(0))).Message.ShouldNotBeNullOrWhiteSpace();
        Should.Throw<ArgumentException>(() => Device.Parse("tpu"));
    }

    [Fact]
    public void Using_a_disposed_tensor_raises_ObjectDisposedException()
    {
        var t = Tensor.Ones([1]);
        t.Dispose();
        t.IsDisposed.ShouldBeTrue();
        Should.Throw<ObjectDisposedException>(() => t.Sum());
    }

    [Fact]
    public void Scope_frees_what_was_made_inside_and_keeps_what_was_moved_out()
    {
        var before = Tensor.LiveCount;
        Tensor kept;
        using (var outer = DisposeScope.Enter())
        {
            using (var inner = DisposeScope.Enter())
            {
                var a = Tensor.Ones([3]);
                kept = inner.MoveToOuter(a * 2);
                inner.Count.ShouldBe(1);
            }
            kept.IsDisposed.ShouldBeFalse();
            Tensor.LiveCount.ShouldBe(before + 1);
            kept.DetachFromScope();
        }
        kept.IsDisposed.ShouldBeFalse();
        kept.Dispose();
        Tensor.LiveCount.ShouldBe(before);
    }

    private sealed class Mlp : Module
    {
        public Mlp()
        {
            Fc1 = RegisterModule("fc1", new Linear(8, 32));
            Fc2 = RegisterModule("fc2", new Linear(32, 4));
        }

        public Linear Fc1 { get; }
        public Linear Fc2 { get; }

        public Tensor Forward(Tensor x) => Fc2.Forward(Functional.Dropout(Fc1.Forward(x).Gelu(), 0.1, Training));
    }

    [Fact]
    public void A_thousand_training_steps_in_scopes_leave_no_live_tensors_and_no_memory_growth()
    {
        TorchRuntime.ManualSeed(0);
        var before = Tensor.LiveCount;
        using var model = new Mlp();
        using var optimizer = new AdamW(model.Parameters(), lr: 1e-2);
        var withModel = Tensor.LiveCount;
        long rssAfterWarmup = 0;
        double first = 0, last = 0;
        for (var step = 0; step < 1000; step++)
        {
            using var scope = DisposeScope.Enter();
            var x = Tensor.Randn([16, 8]);
            var target = x.Narrow(1, 0, 4).ArgMax(1);  // learnable: the index of the largest of the first 4 inputs
            var loss = Functional.CrossEntropy(model.Forward(x), target);
            optimizer.ZeroGrad();
            loss.Backward();
            GradClip.ClipGradNorm(optimizer.Parameters, 1.0);
            optimizer.Step();
            if (step == 0) first = loss.Item();
            if (step >= 990) last += loss.Item() / 10;
            if (step == 200) rssAfterWarmup = Process.GetCurrentProcess().WorkingSet64;
        }
        Tensor.LiveCount.ShouldBe(withModel);
        last.ShouldBeLessThan(first * 0.6);
        var growth = Process.GetCurrentProcess().WorkingSet64 - rssAfterWarmup;
        growth.ShouldBeLessThan(64L << 20, $"working set grew by {growth >> 20} MiB over 800 steps");
        optimizer.Dispose();
        model.Dispose();
        Tensor.LiveCount.ShouldBe(before);
    }
}

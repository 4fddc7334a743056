namespace PreferenceStudio.Torch.Tests;

public class TensorTests
{
    [Fact]
    public void From_and_ToArray_round_trip_values_shape_and_dtype()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.From([1f, 2, 3, 4, 5, 6], [2, 3]);
        x.Shape.ShouldBe([2L, 3]);
        x.DType.ShouldBe(ScalarType.Float32);
        x.Device.ShouldBe(Device.Cpu);
        x.ToFloatArray().ShouldBe([1f, 2, 3, 4, 5, 6]);
        Tensor.From([7L, 8]).ToInt64Array().ShouldBe([7L, 8]);
        Tensor.From([true, false]).ToBoolArray().ShouldBe([true, false]);
        Tensor.Scalar(2.5).Item().ShouldBe(2.5);
    }

    [Fact]
    public void Factories_make_the_asked_shapes()
    {
        using var scope = DisposeScope.Enter();
        Tensor.Zeros([2, 3]).Sum().Item().ShouldBe(0);
        Tensor.Ones([2, 3]).Sum().Item().ShouldBe(6);
        Tensor.Full([4], 1.5).ToFloatArray().ShouldBe([1.5f, 1.5f, 1.5f, 1.5f]);
        Tensor.Arange(5).ToInt64Array().ShouldBe([0L, 1, 2, 3, 4]);
        Tensor.Arange(0, 1, 0.25, ScalarType.Float32).ToFloatArray().ShouldBe([0f, 0.25f, 0.5f, 0.75f]);
        var r = Tensor.RandInt(0, 10, [100]).ToInt64Array();
        r.ShouldAllBe(v => v >= 0 && v < 10);
    }

    [Fact]
    public void BFloat16_converts_and_keeps_about_three_significant_digits()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.From([1f, 3.14159f, -2.5f]);
        var b = x.To(ScalarType.BFloat16);
        b.DType.ShouldBe(ScalarType.BFloat16);
        b.ToBytes().Length.ShouldBe(6);
        var back = b.ToFloatArray();
        back[1].ShouldBe(3.14159f, 0.02f);
        back[2].ShouldBe(-2.5f);
        b.MatMul(b.View(3, 1)).DType.ShouldBe(ScalarType.BFloat16);
    }

    [Fact]
    public void Manual_seed_makes_random_draws_reproducible()
    {
        using var scope = DisposeScope.Enter();
        TorchRuntime.ManualSeed(42);
        var a = Tensor.Randn([5]).ToFloatArray();
        var pa = Tensor.Ones([3, 10]).Multinomial(4).ToInt64Array();
        TorchRuntime.ManualSeed(42);
        Tensor.Randn([5]).ToFloatArray().ShouldBe(a);
        Tensor.Ones([3, 10]).Multinomial(4).ToInt64Array().ShouldBe(pa);
    }

    [Fact]
    public void Reductions_and_selection_give_hand_checked_values()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.From([3f, 1, 4, 1, 5, 9], [2, 3]);
        x.Sum().Item().ShouldBe(23);
        x.Mean(1).ToFloatArray().ShouldBe([8f / 3, 5]);
        x.Max().Item().ShouldBe(9);
        x.ArgMax(1).ToInt64Array().ShouldBe([2L, 2]);
        var (values, indices) = x.TopK(2);
        values.ToFloatArray().ShouldBe([4f, 3, 9, 5]);
        indices.ToInt64Array().ShouldBe([2L, 0, 2, 1]);
        x.CumSum(1).ToFloatArray().ShouldBe([3f, 4, 8, 1, 6, 15]);
        var (maxValues, maxIndices) = x.Max(0);
        maxValues.ToFloatArray().ShouldBe([3f, 5, 9]);
        maxIndices.ToInt64Array().ShouldBe([0L, 1, 1]);
        x.Softmax(1).Sum(1).ToFloatArray().ShouldAllBe(v => Math.Abs(v - 1) < 1e-6);
    }

    [Fact]
    public void Comparisons_where_and_masks_work_elementwise()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.From([1f, -2, 3]);
        x.Gt(0).ToBoolArray().ShouldBe([true, false, true]);
        x.Eq(Tensor.From([1f, 2, 3])).ToBoolArray().ShouldBe([true, false, true]);
        Tensor.Where(x.Lt(0), x.ZerosLike(), x).ToFloatArray().ShouldBe([1f, 0, 3]);
        x.MaskedFill(x.Ge(3), -1).ToFloatArray().ShouldBe([1f, -2, -1]);
        Tensor.Ones([3, 3]).Tril().Sum().Item().ShouldBe(6);
        (x * 2 + 1).ToFloatArray().ShouldBe([3f, -3, 7]);
        (1 - x).ToFloatArray().ShouldBe([0f, 3, -2]);
        x.Clamp(min: 0).ToFloatArray().ShouldBe([1f, 0, 3]);
    }

    [Fact]
    public void Shape_ops_view_the_same_data()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.Arange(6).View(2, 3);
        x.Transpose(0, 1).Contiguous().ToInt64Array().ShouldBe([0L, 3, 1, 4, 2, 5]);
        x.Permute(1, 0).Shape.ShouldBe([3L, 2]);
        x.Narrow(1, 1, 2).ToInt64Array().ShouldBe([1L, 2, 4, 5]);
        x.Select(0, 1).ToInt64Array().ShouldBe([3L, 4, 5]);
        Tensor.Cat([x, x], 0).Shape.ShouldBe([4L, 3]);
        Tensor.Stack([x, x], 0).Shape.ShouldBe([2L, 2, 3]);
        x.Unsqueeze(1).Expand(2, 4, 3).Shape.ShouldBe([2L, 4, 3]);
        x.Reshape(-1).Shape.ShouldBe([6L]);
        x.IndexSelect(1, Tensor.From([2L, 0])).ToInt64Array().ShouldBe([2L, 0, 5, 3]);
        x.Scatter(1, Tensor.From([0L, 0], [2, 1]), Tensor.From([9L, 9], [2, 1])).ToInt64Array().ShouldBe([9L, 1, 2, 9, 4, 5]);
    }

    [Fact]
    public void No_grad_scope_stops_recording_and_restores_the_mode()
    {
        using var scope = DisposeScope.Enter();
        var w = Tensor.Ones([2], requiresGrad: true);
        using (TorchRuntime.NoGrad())
        {
            TorchRuntime.IsGradEnabled.ShouldBeFalse();
            (w * 2).RequiresGrad.ShouldBeFalse();
        }
        TorchRuntime.IsGradEnabled.ShouldBeTrue();
        var y = (w * 3).Sum();
        y.RequiresGrad.ShouldBeTrue();
        y.Backward();
        w.Grad!.ToFloatArray().ShouldBe([3f, 3]);
        Tensor.ZeroGrad([w]);
        w.Grad.ShouldBeNull();
    }
}

public class IntegerScalarTests
{
    [Fact]
    public void Whole_number_scalars_keep_integer_tensors_integer()
    {
        using var scope = DisposeScope.Enter();
        var ids = Tensor.From([1L, 2, 3]);
        (ids - 1).DType.ShouldBe(ScalarType.Int64);
        (ids * 2).ToInt64Array().ShouldBe([2L, 4, 6]);
        (ids - 2).Clamp(min: 0).ToInt64Array().ShouldBe([0L, 0, 1]);
        (ids * 0.5).DType.ShouldBe(ScalarType.Float32);
        (ids / 2).DType.ShouldBe(ScalarType.Float32);
    }
}

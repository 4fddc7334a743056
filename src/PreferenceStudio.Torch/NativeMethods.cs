using System.Reflection;
using System.Runtime.InteropServices;

namespace PreferenceStudio.Torch;

/// <summary>
/// The shim's extern "C" surface (native/ps_*.cpp). Every export that can fail returns null or -1 and leaves
/// libtorch's message in a thread-local last error, which <see cref="Check(IntPtr)"/> turns into a TorchException.
/// </summary>
internal static unsafe partial class NativeMethods
{
    private const string Lib = "ps_torch";

    // Runs before the first call into the shim.
    static NativeMethods() => NativeLibrary.SetDllImportResolver(typeof(NativeMethods).Assembly, Resolve);

    // Looks next to the application, then next to this assembly, then falls back to the loader's default search
    // (LD_LIBRARY_PATH, system directories).
    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Lib) return IntPtr.Zero;
        foreach (var dir in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(assembly.Location) })
        {
            if (string.IsNullOrEmpty(dir)) continue;
            var path = Path.Combine(dir, "libps_torch.so");
            if (File.Exists(path) && NativeLibrary.TryLoad(path, out var loaded)) return loaded;
        }
        return NativeLibrary.TryLoad("libps_torch.so", assembly, searchPath, out var fallback) ? fallback : IntPtr.Zero;
    }

    internal static IntPtr Check(IntPtr result)
    {
        if (result == IntPtr.Zero) throw LastError();
        return result;
    }

    internal static int Check(int status)
    {
        if (status < 0) throw LastError();
        return status;
    }

    internal static long Check(long status)
    {
        if (status < 0) throw LastError();
        return status;
    }

    internal static TorchException LastError()
    {
        var message = Marshal.PtrToStringUTF8(ps_last_error());
        ps_clear_error();
        return new TorchException(string.IsNullOrEmpty(message) ? "libtorch call failed without a message" : message);
    }

    // ps_error.cpp
    [LibraryImport(Lib)] internal static partial IntPtr ps_last_error();
    [LibraryImport(Lib)] internal static partial void ps_clear_error();
    [LibraryImport(Lib)] internal static partial void ps_string_free(IntPtr s);

    // ps_tensor.cpp
    [LibraryImport(Lib)] internal static partial void ps_tensor_free(IntPtr t);
    [LibraryImport(Lib)] internal static partial IntPtr ps_zeros(long* shape, int ndim, int dtype, int dev, int devIndex, int requiresGrad);
    [LibraryImport(Lib)] internal static partial IntPtr ps_ones(long* shape, int ndim, int dtype, int dev, int devIndex, int requiresGrad);
    [LibraryImport(Lib)] internal static partial IntPtr ps_full(long* shape, int ndim, double value, int dtype, int dev, int devIndex, int requiresGrad);
    [LibraryImport(Lib)] internal static partial IntPtr ps_randn(long* shape, int ndim, int dtype, int dev, int devIndex, int requiresGrad);
    [LibraryImport(Lib)] internal static partial IntPtr ps_rand(long* shape, int ndim, int dtype, int dev, int devIndex, int requiresGrad);
    [LibraryImport(Lib)] internal static partial IntPtr ps_randint(long low, long high, long* shape, int ndim, int dtype, int dev, int devIndex);
    [LibraryImport(Lib)] internal static partial IntPtr ps_arange(double start, double end, double step, int dtype, int dev, int devIndex);
    [LibraryImport(Lib)] internal static partial IntPtr ps_zeros_like(TensorHandle t);
    [LibraryImport(Lib)] internal static partial IntPtr ps_ones_like(TensorHandle t);
    [LibraryImport(Lib)] internal static partial IntPtr ps_full_like(TensorHandle t, double value);
    [LibraryImport(Lib)] internal static partial int ps_dim(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int ps_shape(TensorHandle t, long* output);
    [LibraryImport(Lib)] internal static partial long ps_numel(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int ps_dtype(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int ps_device_type(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int ps_device_index(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int ps_item(TensorHandle t, out double value);
    [LibraryImport(Lib)] internal static partial IntPtr ps_to(TensorHandle t, int dtype, int dev, int devIndex);
    [LibraryImport(Lib)] internal static partial IntPtr ps_clone(TensorHandle t);
    [LibraryImport(Lib)] internal static partial IntPtr ps_detach(TensorHandle t);
    [LibraryImport(Lib)] internal static partial IntPtr ps_contiguous(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int ps_set_data(TensorHandle t, TensorHandle source);
    [LibraryImport(Lib)] internal static partial IntPtr ps_to_string(TensorHandle t);

    // ps_serialize.cpp
    [LibraryImport(Lib)] internal static partial IntPtr ps_from_data(void* data, long* shape, int ndim, int dtype, int dev, int devIndex, int requiresGrad);
    [LibraryImport(Lib)] internal static partial long ps_element_size(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int ps_copy_to(TensorHandle t, void* output, long nbytes);

    // ps_device.cpp
    [LibraryImport(Lib)] internal static partial int ps_cuda_is_available();
    [LibraryImport(Lib)] internal static partial int ps_cuda_device_count();
    [LibraryImport(Lib)] internal static partial int ps_manual_seed(ulong seed);
    [LibraryImport(Lib)] internal static partial int ps_set_num_threads(int n);
    [LibraryImport(Lib)] internal static partial int ps_get_num_threads();
    [LibraryImport(Lib)] internal static partial int ps_torch_version(out int major, out int minor, out int patch);
    [LibraryImport(Lib)] internal static partial IntPtr ps_multinomial(TensorHandle probs, long numSamples, int replacement);
    [LibraryImport(Lib)] internal static partial IntPtr ps_bernoulli(TensorHandle probs);

    // ps_math.cpp
    [LibraryImport(Lib)] internal static partial IntPtr ps_neg(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_exp(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_log(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_sqrt(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_rsqrt(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_abs(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_square(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_reciprocal(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_sin(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_cos(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_tanh(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_sigmoid(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_relu(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_silu(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_log_sigmoid(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_softplus(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_logical_not(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_isnan(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_gelu(TensorHandle a, int approximate);
    [LibraryImport(Lib)] internal static partial IntPtr ps_mul(TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial IntPtr ps_div(TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial IntPtr ps_pow(TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial IntPtr ps_maximum(TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial IntPtr ps_minimum(TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial IntPtr ps_matmul(TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial IntPtr ps_logical_and(TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial IntPtr ps_logical_or(TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial IntPtr ps_add(TensorHandle a, TensorHandle b, double alpha);
    [LibraryImport(Lib)] internal static partial IntPtr ps_sub(TensorHandle a, TensorHandle b, double alpha);
    [LibraryImport(Lib)] internal static partial IntPtr ps_add_scalar(TensorHandle a, double s);
    [LibraryImport(Lib)] internal static partial IntPtr ps_mul_scalar(TensorHandle a, double s);
    [LibraryImport(Lib)] internal static partial IntPtr ps_div_scalar(TensorHandle a, double s);
    [LibraryImport(Lib)] internal static partial IntPtr ps_rsub_scalar(TensorHandle a, double s);
    [LibraryImport(Lib)] internal static partial IntPtr ps_pow_scalar(TensorHandle a, double s);
    [LibraryImport(Lib)] internal static partial IntPtr ps_clamp(TensorHandle a, double min, int hasMin, double max, int hasMax);
    [LibraryImport(Lib)] internal static partial IntPtr ps_linear(TensorHandle x, TensorHandle w, TensorHandle b);
    [LibraryImport(Lib)] internal static partial IntPtr ps_tril(TensorHandle a, long diagonal);
    [LibraryImport(Lib)] internal static partial IntPtr ps_triu(TensorHandle a, long diagonal);
    [LibraryImport(Lib)] internal static partial IntPtr ps_compare(TensorHandle a, TensorHandle b, int op);
    [LibraryImport(Lib)] internal static partial IntPtr ps_compare_scalar(TensorHandle a, double b, int op);
    [LibraryImport(Lib)] internal static partial IntPtr ps_where(TensorHandle cond, TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial int ps_allclose(TensorHandle a, TensorHandle b, double rtol, double atol);
    [LibraryImport(Lib)] internal static partial int ps_copy_(TensorHandle dst, TensorHandle src);
    [LibraryImport(Lib)] internal static partial int ps_zero_(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int ps_fill_(TensorHandle t, double value);
    [LibraryImport(Lib)] internal static partial int ps_add_(TensorHandle t, TensorHandle other, double alpha);
    [LibraryImport(Lib)] internal static partial int ps_mul_scalar_(TensorHandle t, double s);
    [LibraryImport(Lib)] internal static partial int ps_normal_(TensorHandle t, double mean, double std);
    [LibraryImport(Lib)] internal static partial int ps_uniform_(TensorHandle t, double from, double to);

    // ps_reduce.cpp
    [LibraryImport(Lib)] internal static partial IntPtr ps_sum(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_mean(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_max_all(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_min_all(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_sum_dims(TensorHandle a, long* dims, int ndims, int keepdim);
    [LibraryImport(Lib)] internal static partial IntPtr ps_mean_dims(TensorHandle a, long* dims, int ndims, int keepdim);
    [LibraryImport(Lib)] internal static partial IntPtr ps_amax(TensorHandle a, long dim, int keepdim);
    [LibraryImport(Lib)] internal static partial IntPtr ps_logsumexp(TensorHandle a, long dim, int keepdim);
    [LibraryImport(Lib)] internal static partial IntPtr ps_norm(TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr ps_softmax(TensorHandle a, long dim);
    [LibraryImport(Lib)] internal static partial IntPtr ps_log_softmax(TensorHandle a, long dim);
    [LibraryImport(Lib)] internal static partial IntPtr ps_cumsum(TensorHandle a, long dim);
    [LibraryImport(Lib)] internal static partial IntPtr ps_argmax(TensorHandle a, long dim, int keepdim);
    [LibraryImport(Lib)] internal static partial IntPtr ps_argmax_all(TensorHandle a);
    [LibraryImport(Lib)] internal static partial int ps_max_dim(TensorHandle a, long dim, int keepdim, out IntPtr values, out IntPtr indices);
    [LibraryImport(Lib)] internal static partial int ps_topk(TensorHandle a, long k, long dim, int largest, int sorted, out IntPtr values, out IntPtr indices);
    [LibraryImport(Lib)] internal static partial int ps_sort(TensorHandle a, long dim, int descending, out IntPtr values, out IntPtr indices);

    // ps_index.cpp
    [LibraryImport(Lib)] internal static partial IntPtr ps_view(TensorHandle a, long* shape, int ndim);
    [LibraryImport(Lib)] internal static partial IntPtr ps_reshape(TensorHandle a, long* shape, int ndim);
    [LibraryImport(Lib)] internal static partial IntPtr ps_expand(TensorHandle a, long* shape, int ndim);
    [LibraryImport(Lib)] internal static partial IntPtr ps_permute(TensorHandle a, long* dims, int ndim);
    [LibraryImport(Lib)] internal static partial IntPtr ps_transpose(TensorHandle a, long d0, long d1);
    [LibraryImport(Lib)] internal static partial IntPtr ps_unsqueeze(TensorHandle a, long dim);
    [LibraryImport(Lib)] internal static partial IntPtr ps_squeeze(TensorHandle a, long dim);
    [LibraryImport(Lib)] internal static partial IntPtr ps_flatten(TensorHandle a, long start, long end);
    [LibraryImport(Lib)] internal static partial IntPtr ps_narrow(TensorHandle a, long dim, long start, long length);
    [LibraryImport(Lib)] internal static partial IntPtr ps_select(TensorHandle a, long dim, long index);
    [LibraryImport(Lib)] internal static partial IntPtr ps_cat(IntPtr* items, int n, long dim);
    [LibraryImport(Lib)] internal static partial IntPtr ps_stack(IntPtr* items, int n, long dim);
    [LibraryImport(Lib)] internal static partial IntPtr ps_gather(TensorHandle a, long dim, TensorHandle index);
    [LibraryImport(Lib)] internal static partial IntPtr ps_scatter(TensorHandle a, long dim, TensorHandle index, TensorHandle src);
    [LibraryImport(Lib)] internal static partial IntPtr ps_index_select(TensorHandle a, long dim, TensorHandle index);
    [LibraryImport(Lib)] internal static partial IntPtr ps_masked_fill(TensorHandle a, TensorHandle mask, double value);

    // ps_nn.cpp
    [LibraryImport(Lib)] internal static partial IntPtr ps_embedding(TensorHandle weight, TensorHandle indices);
    [LibraryImport(Lib)] internal static partial IntPtr ps_layer_norm(TensorHandle x, TensorHandle weight, TensorHandle bias, double eps);
    [LibraryImport(Lib)] internal static partial IntPtr ps_rms_norm(TensorHandle x, TensorHandle weight, double eps);
    [LibraryImport(Lib)] internal static partial IntPtr ps_dropout(TensorHandle x, double p, int train);
    [LibraryImport(Lib)] internal static partial IntPtr ps_cross_entropy(TensorHandle logits, TensorHandle target, long ignoreIndex, int reduction, double labelSmoothing);
    [LibraryImport(Lib)] internal static partial IntPtr ps_mse_loss(TensorHandle a, TensorHandle b, int reduction);
    [LibraryImport(Lib)] internal static partial IntPtr ps_attention(TensorHandle q, TensorHandle k, TensorHandle v, TensorHandle mask, int isCausal, double dropoutP, int train);
    [LibraryImport(Lib)] internal static partial IntPtr ps_rotary(TensorHandle x, TensorHandle cos, TensorHandle sin);

    // ps_autograd.cpp
    [LibraryImport(Lib)] internal static partial int ps_requires_grad(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int ps_set_requires_grad(TensorHandle t, int requiresGrad);
    [LibraryImport(Lib)] internal static partial int ps_backward(TensorHandle t, TensorHandle grad, int retainGraph);
    [LibraryImport(Lib)] internal static partial int ps_grad(TensorHandle t, out IntPtr grad);
    [LibraryImport(Lib)] internal static partial int ps_zero_grad(IntPtr* parameters, int n);
    [LibraryImport(Lib)] internal static partial int ps_is_grad_enabled();
    [LibraryImport(Lib)] internal static partial void ps_set_grad_enabled(int enabled);

    // ps_optim.cpp
    [LibraryImport(Lib)] internal static partial int ps_adamw_step(IntPtr* parameters, IntPtr* expAvg, IntPtr* expAvgSq, double* weightDecay, int n, double lr, double beta1, double beta2, double eps, long step);
    [LibraryImport(Lib)] internal static partial int ps_clip_grad_norm(IntPtr* parameters, int n, double maxNorm, out double totalNorm);
}

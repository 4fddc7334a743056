"""Reference logits for ReferenceLogitsTests.cs, from a separate PyTorch implementation written after Hugging Face's
modeling_gpt2.py and modeling_llama.py / modeling_qwen2.py (eager attention). Not run by the tests: its printed
numbers are embedded there.  Run with Debian's python3-torch: /usr/bin/python3 reference_logits.py

Weights are a closed-form function of the Hugging Face tensor name and element index, so no file is shared:
parameter k (in ordinal order of names), element i: 0.1 * sin(0.37 i + 1.3 k), plus 1 for 1-D ".weight" (norm scales).
"""
import math
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)  # the reference in float64; the C# test runs float32
V, C, LAYERS, HEADS = 320, 64, 2, 4
IDS = torch.tensor([[3, 17, 250, 99, 5, 42]])


def fill(shapes):
    out = {}
    for k, name in enumerate(sorted(shapes)):
        n = math.prod(shapes[name])
        v = 0.1 * torch.sin(0.37 * torch.arange(n, dtype=torch.float64) + 1.3 * k)
        if len(shapes[name]) == 1 and name.endswith(".weight"):
            v = v + 1.0
        out[name] = v.view(shapes[name])
    return out


def gpt2():
    s = {"transformer.wte.weight": (V, C), "transformer.wpe.weight": (128, C), "transformer.ln_f.weight": (C,), "transformer.ln_f.bias": (C,)}
    for i in range(LAYERS):
        p = f"transformer.h.{i}."
        s.update({p + "ln_1.weight": (C,), p + "ln_1.bias": (C,), p + "ln_2.weight": (C,), p + "ln_2.bias": (C,),
                  p + "attn.c_attn.weight": (C, 3 * C), p + "attn.c_attn.bias": (3 * C,),
                  p + "attn.c_proj.weight": (C, C), p + "attn.c_proj.bias": (C,),
                  p + "mlp.c_fc.weight": (C, 4 * C), p + "mlp.c_fc.bias": (4 * C,),
                  p + "mlp.c_proj.weight": (4 * C, C), p + "mlp.c_proj.bias": (C,)})
    w = fill(s)
    T = IDS.shape[1]
    x = w["transformer.wte.weight"][IDS] + w["transformer.wpe.weight"][torch.arange(T)]
    causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
    for i in range(LAYERS):
        p = f"transformer.h.{i}."
        h = F.layer_norm(x, (C,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], 1e-5)
        qkv = h @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]  # Conv1D
        q, k, v = qkv.split(C, dim=2)
        q, k, v = (z.view(1, T, HEADS, C // HEADS).permute(0, 2, 1, 3) for z in (q, k, v))
        att = (q @ k.transpose(-1, -2)) / math.sqrt(C // HEADS)
        att = att.masked_fill(~causal, torch.finfo(att.dtype).min).softmax(-1)
        y = (att @ v).permute(0, 2, 1, 3).reshape(1, T, C)
        x = x + y @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        h = F.layer_norm(x, (C,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], 1e-5)
        h = F.gelu(h @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"], approximate="tanh")
        x = x + h @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
    x = F.layer_norm(x, (C,), w["transformer.ln_f.weight"], w["transformer.ln_f.bias"], 1e-5)
    return x @ w["transformer.wte.weight"].T


def llama(qwen2):
    KV, D, I = 2, C // HEADS, 128
    eps = 1e-6 if qwen2 else 1e-5
    s = {"model.embed_tokens.weight": (V, C), "model.norm.weight": (C,)}
    if not qwen2:
        s["lm_head.weight"] = (V, C)
    for i in range(LAYERS):
        p = f"model.layers.{i}."
        s.update({p + "input_layernorm.weight": (C,), p + "post_attention_layernorm.weight": (C,),
                  p + "self_attn.q_proj.weight": (HEADS * D, C), p + "self_attn.k_proj.weight": (KV * D, C),
                  p + "self_attn.v_proj.weight": (KV * D, C), p + "self_attn.o_proj.weight": (C, HEADS * D),
                  p + "mlp.gate_proj.weight": (I, C), p + "mlp.up_proj.weight": (I, C), p + "mlp.down_proj.weight": (C, I)})
        if qwen2:
            s.update({p + "self_attn.q_proj.bias": (HEADS * D,), p + "self_attn.k_proj.bias": (KV * D,), p + "self_attn.v_proj.bias": (KV * D,)})
    w = fill(s)

    def rms(x, weight):
        return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))

    def lin(x, name):
        y = x @ w[name + ".weight"].T
        return y + w[name + ".bias"] if name + ".bias" in w else y

    def rotate_half(x):
        return torch.cat((-x[..., D // 2:], x[..., : D // 2]), -1)

    T = IDS.shape[1]
    inv_freq = 1.0 / (10000.0 ** (torch.arange(0, D, 2, dtype=torch.float64) / D))
    freqs = torch.outer(torch.arange(T, dtype=torch.float64), inv_freq)
    emb = torch.cat((freqs, freqs), -1)
    cos, sin = emb.cos()[None, None], emb.sin()[None, None]
    causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
    x = w["model.embed_tokens.weight"][IDS]
    for i in range(LAYERS):
        p = f"model.layers.{i}."
        h = rms(x, w[p + "input_layernorm.weight"])
        q = lin(h, p + "self_attn.q_proj").view(1, T, HEADS, D).transpose(1, 2)
        k = lin(h, p + "self_attn.k_proj").view(1, T, KV, D).transpose(1, 2)
        v = lin(h, p + "self_attn.v_proj").view(1, T, KV, D).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        k, v = k.repeat_interleave(HEADS // KV, dim=1), v.repeat_interleave(HEADS // KV, dim=1)
        att = (q @ k.transpose(2, 3)) / math.sqrt(D)
        att = att.masked_fill(~causal, torch.finfo(att.dtype).min).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(1, T, C)
        x = x + lin(y, p + "self_attn.o_proj")
        h = rms(x, w[p + "post_attention_layernorm.weight"])
        x = x + lin(F.silu(lin(h, p + "mlp.gate_proj")) * lin(h, p + "mlp.up_proj"), p + "mlp.down_proj")
    x = rms(x, w["model.norm.weight"])
    return x @ (w["model.embed_tokens.weight"] if qwen2 else w["lm_head.weight"]).T


for name, logits in (("gpt2", gpt2()), ("qwen2", llama(True)), ("llama", llama(False))):
    picks = [float(logits[0, t, v]) for t in (0, 5) for v in (0, 1, 100, 319)]
    print(name, "[" + ", ".join(f"{x:.6f}" for x in picks) + "]")

"""The benchmark of Program.cs in PyTorch (Debian's python3-torch 1.13.1, the PyTorch installable here; the C# side runs
TorchSharp's libtorch 2.10), for comparison.

Same GPT-2 architecture (pre-norm blocks, fused c_attn, gelu tanh, tied head), same sizes, same timing rule
(fastest of the runs after two warm-ups). Not used by any test.  Run: /usr/bin/python3 bench/PreferenceStudio.Bench/reference.py [threads]
Needs python3-torch and libopenblas0-pthread (apt): without OpenBLAS, PyTorch falls back to the reference BLAS and
runs about ten times slower, which measures the BLAS, not PyTorch.
"""
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

L, C, H, V, B, T, STEPS = 4, 256, 4, 8192, 8, 128, 10
GEN_B, PROMPT, NEW, GEN_RUNS = 4, 32, 64, 3
if len(sys.argv) > 1:
    torch.set_num_threads(int(sys.argv[1]))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(C), nn.LayerNorm(C)
        self.c_attn, self.c_proj = nn.Linear(C, 3 * C), nn.Linear(C, C)
        self.c_fc, self.mlp_proj = nn.Linear(C, 4 * C), nn.Linear(4 * C, C)

    def forward(self, x, cache=None):
        b, t, _ = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(C, dim=2)
        q, k, v = (z.view(b, t, H, C // H).transpose(1, 2) for z in (q, k, v))  # (B, H, T, D)
        if cache is not None:
            if "k" in cache:
                k, v = torch.cat([cache["k"], k], 2), torch.cat([cache["v"], v], 2)
            cache["k"], cache["v"] = k, v
        tk = k.shape[2]
        keep = torch.ones(t, tk, dtype=torch.bool).tril(tk - t)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(C // H))
        att = att.masked_fill(~keep, -3.0e38).softmax(-1)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, C)
        x = x + self.c_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, C), nn.Embedding(1024, C)
        self.h = nn.ModuleList(Block() for _ in range(L))
        self.ln_f = nn.LayerNorm(C)

    def hidden(self, ids, caches=None, past=0):
        pos = torch.arange(past, past + ids.shape[1]).unsqueeze(0)
        x = self.wte(ids) + self.wpe(pos)
        for i, block in enumerate(self.h):
            x = block(x, None if caches is None else caches[i])
        return self.ln_f(x)

    def forward(self, ids, caches=None, past=0):
        return F.linear(self.hidden(ids, caches, past), self.wte.weight)


def timed(runs, fn):
    fn(); fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter(); fn(); times.append(time.perf_counter() - start)
    return min(times)


torch.manual_seed(0)
model = GPT()
print(f"GPT-2 L={L} C={C} H={H} V={V} ({sum(p.numel() for p in model.parameters()) / 1e6:.1f}M parameters), "
      f"torch {torch.__version__}, {torch.get_num_threads()} threads")


def train_step():
    ids = torch.randint(0, V, (B, T))
    model.zero_grad(set_to_none=True)
    logits = model(ids)
    F.cross_entropy(logits[:, :-1].reshape(-1, V), ids[:, 1:].reshape(-1)).backward()


# The reward trainer's step: B/2 pairs as one batch of B sequences, score at the last token, Bradley-Terry loss,
# clipping, AdamW (what RewardTrainer does per step, metrics included).
score = nn.Linear(C, 1, bias=False)
reward_params = list(model.parameters()) + list(score.parameters())
reward_opt = torch.optim.AdamW(reward_params, lr=1e-5, weight_decay=0.0)


def reward_step():
    ids = torch.randint(0, V, (B, T))
    rewards = score(model.hidden(ids)[:, -1]).squeeze(-1)
    chosen, rejected = rewards[: B // 2], rewards[B // 2:]
    loss = -F.logsigmoid(chosen - rejected).mean()
    reward_opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(reward_params, 1.0)
    reward_opt.step()
    return [loss.item(), chosen.mean().item(), rejected.mean().item(), (chosen > rejected).float().mean().item()]


# The DPO trainer's run divided by its steps, as TRL's DPOTrainer computes it with precompute_ref_log_probs: one
# reference pass without gradients over every pair, then per step B/2 pairs as one batch of B rows (chosen rows, then
# rejected rows: TRL's concatenated forward), log-probabilities summed over the response tokens only (the prompt is
# the first T/2 tokens), the sigmoid loss -log σ(β h), clipping, AdamW.
torch.manual_seed(1)
reference = GPT()
reference.eval()
dpo_opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.0)
BETA = 0.1
completion = torch.zeros(B, T - 1, dtype=torch.bool)
completion[:, T // 2 - 1:] = True  # position t predicts token t + 1
dpo_batches = [torch.randint(0, V, (B, T)) for _ in range(STEPS)]


def sequence_logps(m, ids):
    logits = m(ids)[:, :-1]                                                # (B, T-1, V)
    token = logits.log_softmax(-1).gather(2, ids[:, 1:, None]).squeeze(-1)  # (B, T-1)
    return token.masked_fill(~completion, 0).sum(-1)                       # (B)


def dpo_run():
    with torch.no_grad():
        ref = [sequence_logps(reference, ids) for ids in dpo_batches]
    for ids, r in zip(dpo_batches, ref):
        logps = sequence_logps(model, ids)
        chosen, rejected = logps[: B // 2], logps[B // 2:]
        h = (chosen - rejected) - (r[: B // 2] - r[B // 2:])
        loss = -F.logsigmoid(BETA * h).mean()
        dpo_opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        dpo_opt.step()
        cr, rr = BETA * (chosen - r[: B // 2]).detach(), BETA * (rejected - r[B // 2:]).detach()
        _ = [loss.item(), cr.mean().item(), rr.mean().item(), (cr > rr).float().mean().item(), (cr - rr).mean().item(),
         chosen.mean().item(), rejected.mean().item()]


prompts = torch.tensor([[(i * 31 + t * 7) % V for t in range(PROMPT)] for i in range(GEN_B)])


@torch.no_grad()
def generate(use_cache):
    ids = prompts
    caches = [dict() for _ in range(L)] if use_cache else None
    feed, past = ids, 0
    for _ in range(NEW):
        logits = model(feed if use_cache else ids, caches, past)
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        if use_cache:
            past += feed.shape[1]
            feed = nxt
        ids = torch.cat([ids, nxt], 1)


model.eval()
train = timed(STEPS, train_step)
reward = timed(3, lambda: [reward_step() for _ in range(STEPS)]) / STEPS
dpo = timed(3, dpo_run) / STEPS
cached = timed(GEN_RUNS, lambda: generate(True))
uncached = timed(GEN_RUNS, lambda: generate(False))
print("| measure | batch | tokens/s |\n| --- | --- | ---: |")
print(f"| forward+backward, T={T} | {B} | {B * T / train:.0f} |")
print(f"| reward-model training step, T={T} | {B} | {B * T / reward:.0f} |")
print(f"| DPO training step (reference pass included), T={T} | {B} | {B * T / dpo:.0f} |")
print(f"| generation with KV cache, prompt {PROMPT}, {NEW} new | {GEN_B} | {GEN_B * NEW / cached:.0f} |")
print(f"| generation without KV cache, prompt {PROMPT}, {NEW} new | {GEN_B} | {GEN_B * NEW / uncached:.0f} |")

"""Matrix-product throughput of this CPU in float32 and bfloat16: a large square product (about what the cores
can give) and the shapes of the Kuramoto-5 quick preset's decoder (one receiver's messages in one call of
`_ReceivedMessages`: 4 senders x 128 systems x 5 chains = 2560 rows, 129 inputs with the folded bias and z unit,
128 outputs; and its backward pass's weight gradient, inputs transposed).

    python bench/bench_matmul.py [--reps 20]      # writes bench/results/matmul.json

One process, the machine otherwise idle; each figure is the median of `--reps` timings."""
import argparse, json, platform, statistics, time
from pathlib import Path
import torch
from nri_nb.core import atomic_write, keep_freed_memory
from nri_nb.train import bf16_native

HERE = Path(__file__).resolve().parent
SHAPES = {   # name: (m, k, n) of an [m, k] x [k, n] product
    'square 2048': (2048, 2048, 2048),
    'decoder message layer, forward (2560 x 129 x 128)': (2560, 129, 128),
    'decoder message layer, weight gradient (129 x 2560 x 128)': (129, 2560, 128),
    'output MLP (3200 x 128 x 128)': (3200, 128, 128)}

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument('--reps', type=int, default=20)
a = ap.parse_args()
keep_freed_memory()
out = {}
for name, (m, k, n) in SHAPES.items():
    row = {}
    for dt in (torch.float32, torch.bfloat16):
        x, w = torch.randn(m, k).to(dt), torch.randn(k, n).to(dt)
        inner = max(1, int(2e8 // (2 * m * k * n)))          # products per timing: about 0.2 GFLOP
        for _ in range(3): x @ w
        ts = []
        for _ in range(a.reps):
            t0 = time.perf_counter()
            for _ in range(inner): x @ w
            ts.append((time.perf_counter() - t0) / inner)
        row[str(dt).split('.')[1]] = dict(us=round(statistics.median(ts) * 1e6, 1), gflops=round(2 * m * k * n / statistics.median(ts) / 1e9, 1))
    row['bf16_speedup'] = round(row['float32']['us'] / row['bfloat16']['us'], 2)
    out[name] = row
    print(name, row, flush=True)
res = dict(shapes=out, reps=a.reps,
           machine=dict(processor=platform.processor() or platform.platform(), threads=torch.get_num_threads(), torch=torch.__version__,
                        cpu_capability=torch.backends.cpu.get_cpu_capability(), bf16_instructions=bf16_native()))
with atomic_write(HERE / 'results' / 'matmul.json') as tmp: Path(tmp).write_text(json.dumps(res, indent=1))

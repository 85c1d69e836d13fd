"""Training throughput and peak memory, nri_nb side by side with the reference code (ethanfetaya/NRI).

Each measurement runs in a fresh subprocess (so its peak RSS is its own), alternating implementations
so that a busy machine slows both alike; the JSON keeps every repetition and the ratios of medians.

    python bench/bench_train.py                                   # nri_nb only, paper settings
    python bench/bench_train.py --reference-dir /path/to/NRI      # plus the reference, side by side
    python bench/bench_train.py --variants plain,compile,bf16     # opt-in speed-ups too

The reference checkout must already run on your torch (for PyTorch >= 1: `.data[0]` -> `.item()`,
`np.float` -> `float`, `F.softmax(x)` -> `F.softmax(x, dim=0)` in utils.my_softmax); this script only
imports its `modules.py` and `utils.py` and times the training step of its `train.py` (MLP encoder and
decoder, soft Gumbel-softmax samples, Gaussian NLL + KL), on random data of the paper's shapes.
"""
import argparse, json, os, platform, resource, subprocess, sys, time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def one(impl, variant, batch, hidden, dec_hidden, iters, threads, reference_dir, skip_first):
    "Time `iters` training iterations in this process; print a JSON line."
    import numpy as np, torch
    if threads: torch.set_num_threads(threads)
    torch.manual_seed(0)
    N, T, F, K = 5, 49, 4, 2
    x = torch.rand(batch, N, T, F) * 2 - 1
    if impl == 'reference':
        sys.path.insert(0, reference_dir)
        from modules import MLPEncoder, MLPDecoder
        from utils import gumbel_softmax, my_softmax, nll_gaussian, kl_categorical_uniform, encode_onehot
        off = np.ones([N, N]) - np.eye(N)
        rec = torch.FloatTensor(np.array(encode_onehot(np.where(off)[0]), dtype=np.float32))
        send = torch.FloatTensor(np.array(encode_onehot(np.where(off)[1]), dtype=np.float32))
        enc, dec = MLPEncoder(T * F, hidden, K, 0., True), MLPDecoder(F, K, dec_hidden, dec_hidden, dec_hidden, 0., skip_first)
        opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=5e-4)
        def step():
            opt.zero_grad()
            logits = enc(x, rec, send)
            edges = gumbel_softmax(logits, tau=0.5, hard=False)
            prob = my_softmax(logits, -1)
            out = dec(x, edges, rec, send, 10)
            loss = nll_gaussian(out, x[:, :, 1:], 5e-5) + kl_categorical_uniform(prob, N, K)
            loss.backward(); opt.step()
    else:
        sys.path.insert(0, str(HERE.parent))
        from nri_nb.model import build_nri
        from nri_nb.sampling import sample_gumbel
        from nri_nb.train import train_step
        model = build_nri(F, T, encoder_hidden=hidden, decoder_hidden=dec_hidden, skip_first=skip_first)
        opt = torch.optim.Adam(model.parameters(), lr=5e-4)
        run = torch.compile(model) if variant == 'compile' else model
        def step(): train_step(run, x, sample_gumbel((batch, N * (N - 1), K)), opt, bf16=(variant == 'bf16'))
    warm = 3 if variant == 'compile' else 2
    times = []
    for i in range(warm + iters):
        t = time.perf_counter(); step(); dt = time.perf_counter() - t
        if i >= warm: times.append(dt)
    print(json.dumps(dict(impl=impl, variant=variant, s_per_iter=float(np.median(times)), times=times,
                          peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, threads=torch.get_num_threads())))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--reference-dir', help='a checkout of ethanfetaya/NRI that runs on this torch')
    p.add_argument('--variants', default='plain', help='comma-separated: plain, compile, bf16 (nri_nb only)')
    p.add_argument('--batch', type=int, default=128); p.add_argument('--hidden', type=int, default=256)
    p.add_argument('--decoder-hidden', type=int, default=None); p.add_argument('--skip-first', action='store_true')
    p.add_argument('--iters', type=int, default=8, help='timed iterations per repetition')
    p.add_argument('--reps', type=int, default=3, help='repetitions (fresh processes) per implementation')
    p.add_argument('--threads', type=int, default=0)
    p.add_argument('--out', default=str(HERE / 'results' / 'train.json'))
    p.add_argument('--one', nargs=2, help=argparse.SUPPRESS)
    a = p.parse_args()
    dec_hidden = a.decoder_hidden or a.hidden
    if a.one:
        return one(a.one[0], a.one[1], a.batch, a.hidden, dec_hidden, a.iters, a.threads, a.reference_dir, a.skip_first)
    runs = [('nri_nb', v) for v in a.variants.split(',')] + ([('reference', 'plain')] if a.reference_dir else [])
    rows = []
    for rep in range(a.reps):
        for impl, variant in runs:
            cmd = [sys.executable, __file__, '--one', impl, variant, '--batch', str(a.batch), '--hidden', str(a.hidden),
                   '--decoder-hidden', str(dec_hidden), '--iters', str(a.iters), '--threads', str(a.threads)]
            if a.reference_dir: cmd += ['--reference-dir', a.reference_dir]
            if a.skip_first: cmd += ['--skip-first']
            out = subprocess.run(cmd, capture_output=True, text=True)
            if out.returncode: sys.exit(f'{impl}/{variant} failed:\n{out.stderr[-3000:]}')
            row = json.loads(out.stdout.strip().splitlines()[-1]); row['rep'] = rep; rows.append(row)
            print(f"rep {rep}  {impl:9s} {variant:8s} {row['s_per_iter']:.3f} s/iter  peak RSS {row['peak_rss_mb']:.0f} MB", flush=True)
    import statistics as st
    summary = {}
    for impl, variant in runs:
        sel = [r for r in rows if r['impl'] == impl and r['variant'] == variant]
        summary[f'{impl}/{variant}'] = dict(s_per_iter=st.median(r['s_per_iter'] for r in sel),
                                            peak_rss_mb=max(r['peak_rss_mb'] for r in sel))
    if a.reference_dir:
        ref = summary['reference/plain']
        for k, v in summary.items():
            v['speedup_vs_reference'] = ref['s_per_iter'] / v['s_per_iter']
            v['memory_vs_reference'] = v['peak_rss_mb'] / ref['peak_rss_mb']
    for k, v in summary.items(): print(k, {kk: round(vv, 3) for kk, vv in v.items()})
    result = dict(settings=dict(batch=a.batch, hidden=a.hidden, decoder_hidden=dec_hidden, skip_first=a.skip_first,
                                n_objects=5, timesteps=49, edge_types=2, prediction_steps=10, iters=a.iters, reps=a.reps),
                  machine=dict(platform=platform.platform(), processor=platform.processor(), cpus=os.cpu_count(),
                               python=platform.python_version(), torch=__import__('torch').__version__,
                               loadavg_at_end=os.getloadavg()),
                  summary=summary, rows=rows)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(a.out).with_suffix('.tmp'); tmp.write_text(json.dumps(result, indent=1)); os.replace(tmp, a.out)
    print('wrote', a.out)


if __name__ == '__main__':
    main()

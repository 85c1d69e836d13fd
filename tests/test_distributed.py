"Several processes (torchrun / DDP on CPU with gloo) compute the same gradients as one process on the global batch."
import os, socket
import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from nri_nb.model import build_nri
from nri_nb.sampling import sample_gumbel
from nri_nb.train import distribute, train_step, epoch_batches

B, N, T, F, K = 8, 5, 12, 4, 2


def _model():
    torch.manual_seed(0)
    return build_nri(F, T, encoder_hidden=16, decoder_hidden=16, prediction_steps=3)


def _batch():
    g = torch.Generator().manual_seed(1)
    x = torch.rand(B, N, T, F, generator=g) * 2 - 1
    gumbel = sample_gumbel((B, N * (N - 1), K), generator=g)
    return x, gumbel


def _grads(model):
    core = model.module if hasattr(model, 'module') else model
    return {n: p.grad.clone() for n, p in core.named_parameters() if p.grad is not None}


def _worker(rank, world, port, q):
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    dist.init_process_group('gloo', rank=rank, world_size=world)
    torch.set_num_threads(1)
    try:
        x, gumbel = _batch()
        (gidx, lidx), = list(epoch_batches(B, B, seed=0, epoch=0, shuffle=False, rank=rank, world=world))
        model = distribute(_model(), torch.device('cpu'))
        res = train_step(model, x[lidx], gumbel.tensor_split(world)[rank])
        np = lambda d: {k: v.detach().numpy().copy() for k, v in d.items()}   # by value: tensors in a queue die with their process
        q.put((rank, float(res['loss']), np(_grads(model)), np(dict(model.module.named_buffers()))))
    finally:
        dist.destroy_process_group()


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]


def test_two_cpu_processes_match_one():
    torch.set_num_threads(1)
    x, gumbel = _batch()
    single = _model()
    ref = train_step(single, x, gumbel)
    ref_grads, ref_buffers = _grads(single), dict(single.named_buffers())

    ctx = mp.get_context('spawn')
    q = ctx.Queue()
    port = _free_port()
    procs = [ctx.Process(target=_worker, args=(r, 2, port, q)) for r in range(2)]
    for p in procs: p.start()
    results = sorted(q.get(timeout=120) for _ in procs)
    for p in procs: p.join(timeout=60)
    assert all(p.exitcode == 0 for p in procs)

    # the mean of the two processes' losses is the single process's loss on the whole batch
    assert abs(sum(r[1] for r in results) / 2 - float(ref['loss'])) < 1e-3 * abs(float(ref['loss']))
    for rank, _, grads, buffers in results:
        assert grads.keys() == ref_grads.keys()
        for name, g in grads.items():
            g = torch.from_numpy(g)
            torch.testing.assert_close(g, ref_grads[name], rtol=1e-4, atol=1e-5 * ref_grads[name].abs().max().item() + 1e-7,
                                       msg=lambda m: f'rank {rank}, {name}: {m}')
        # batch norm's running statistics are those of the global batch too
        for name, b in buffers.items():
            b = torch.from_numpy(b)
            if b.is_floating_point(): torch.testing.assert_close(b, ref_buffers[name], rtol=1e-4, atol=1e-6)


def test_distribute_is_a_no_op_alone():
    m = _model()
    assert distribute(m, torch.device('cpu')) is m

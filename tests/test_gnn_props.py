"Property tests (hypothesis) for nri_nb.gnn, encoders, sampling and metrics: forms agree, symmetries hold."
import torch
from hypothesis import given, settings, strategies as st
from nri_nb.gnn import (fully_connected_graph, incidence_matrices, node2edge, edge2node, node2edge_dense,
                        edge2node_dense, adjacency_to_edges, edges_to_adjacency)
from nri_nb.encoders import MLPEncoder, CNNEncoder
from nri_nb.sampling import gumbel_softmax, kl_categorical
from nri_nb.metrics import edge_accuracy

def edge_id(i, j, n): return i * (n - 1) + j - int(j > i)

def old_edge_index(perm, n):
    s, r = fully_connected_graph(n)
    return torch.tensor([edge_id(int(perm[a]), int(perm[b]), n) for a, b in zip(s.tolist(), r.tolist())])

@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 9), d=st.integers(1, 5), b=st.integers(1, 3), seed=st.integers(0, 10**6))
def test_gather_scatter_equals_dense(n, d, b, seed):
    g = torch.Generator().manual_seed(seed)
    x, e = torch.randn(b, n, d, generator=g), torch.randn(b, n * (n - 1), d, generator=g)
    s, r = fully_connected_graph(n); send, recv = incidence_matrices(n)
    torch.testing.assert_close(node2edge(x, s, r), node2edge_dense(x, send, recv))
    for reduce in ('sum', 'mean'):
        torch.testing.assert_close(edge2node(e, r, n, reduce), edge2node_dense(e, recv, reduce))

@settings(max_examples=20, deadline=None)
@given(n=st.integers(2, 7), seed=st.integers(0, 10**6))
def test_adjacency_roundtrip(n, seed):
    g = torch.Generator().manual_seed(seed)
    adj = torch.randint(0, 3, (2, n, n), generator=g) * (1 - torch.eye(n, dtype=torch.long))
    assert torch.equal(edges_to_adjacency(adjacency_to_edges(adj), n), adj)

@settings(max_examples=10, deadline=None)
@given(n=st.integers(2, 6), seed=st.integers(0, 10**6), factor=st.booleans(), cnn=st.booleans())
def test_encoder_node_permutation(n, seed, factor, cnn):
    torch.manual_seed(seed)
    enc = (CNNEncoder(4, 16, 3, factor=factor) if cnn else MLPEncoder(16 * 4, 16, 3, factor=factor)).eval()
    x = torch.randn(2, n, 16, 4)
    perm = torch.randperm(n)
    with torch.no_grad():
        torch.testing.assert_close(enc(x[:, perm]), enc(x)[:, old_edge_index(perm, n)], atol=1e-4, rtol=1e-4)

@settings(max_examples=20, deadline=None)
@given(k=st.integers(2, 6), tau=st.floats(0.05, 5.0), seed=st.integers(0, 10**6))
def test_gumbel_hard_is_one_hot_and_kl_nonnegative(k, tau, seed):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(3, 7, k, generator=g) * 3
    y = gumbel_softmax(logits, tau=tau, hard=True, generator=g)
    assert torch.equal(y.sum(-1), torch.ones(3, 7)) and set(y.unique().tolist()) <= {0., 1.}
    assert (kl_categorical(torch.softmax(logits, -1)) >= -1e-5).all()

@settings(max_examples=20, deadline=None)
@given(k=st.integers(2, 5), seed=st.integers(0, 10**6))
def test_edge_accuracy_invariant_to_relabelling(k, seed):
    g = torch.Generator().manual_seed(seed)
    target = torch.randint(0, k, (5, 12), generator=g)
    pred = torch.where(torch.rand(5, 12, generator=g) < 0.7, target, torch.randint(0, k, (5, 12), generator=g))
    relabel = torch.randperm(k, generator=g)
    assert abs(edge_accuracy(pred, target, k) - edge_accuracy(relabel[pred], target, k)) < 1e-12

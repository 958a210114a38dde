import torch
import torch.nn.functional as F

torch.manual_seed(0)

# torch.autograd.grad returns gradients without touching .grad.
x = torch.randn(4, requires_grad=True)
y = (x.sin() * x).sum()
(gx,) = torch.autograd.grad(y, x)
print(gx)
print(x.grad)
print(torch.allclose(gx, x.cos() * x + x.sin()))

# Second derivatives with create_graph=True.
f = (x ** 3).sum()
(g,) = torch.autograd.grad(f, x, create_graph=True)
print(g.requires_grad)
(h,) = torch.autograd.grad(g.sum(), x)
print(h, torch.allclose(h, 6 * x))

# A Hessian-vector product, and the full Hessian row by row.
def loss_fn(w):
    return (w.tanh() ** 2).sum() + (w[0] * w[1]) ** 2

w = torch.randn(3, requires_grad=True)
(grad_w,) = torch.autograd.grad(loss_fn(w), w, create_graph=True)
v = torch.tensor([1.0, 0.0, -1.0])
(hvp,) = torch.autograd.grad(grad_w, w, grad_outputs=v, retain_graph=True)
print("hvp:", hvp)
rows = [torch.autograd.grad(grad_w[i], w, retain_graph=True)[0] for i in range(3)]
H = torch.stack(rows)
print(H)
print(torch.allclose(H, H.T))
print(torch.allclose(H, torch.func.hessian(loss_fn)(w.detach())))

# The torch.func tutorial's starting point: rows of the Jacobian with autograd.grad.
D = 16
weight = torch.randn(D, D)
bias = torch.randn(D)
xin = torch.randn(D)

def predict(weight, bias, x):
    return F.linear(x, weight, bias).tanh()

xp = xin.clone().requires_grad_()
unit_vectors = torch.eye(D)

def compute_jac(xp):
    jacobian_rows = [torch.autograd.grad(predict(weight, bias, xp), xp, vec)[0] for vec in unit_vectors]
    return torch.stack(jacobian_rows)

jacobian = compute_jac(xp)
print(jacobian.shape)
print(jacobian[0])
print(torch.allclose(jacobian, torch.func.jacrev(predict, argnums=2)(weight, bias, xin)))

# Several inputs, unused inputs, and batched cotangents.
a = torch.randn(2, requires_grad=True)
b = torch.randn(2, requires_grad=True)
c = torch.randn(2, requires_grad=True)
out = (a * b).sum()
ga, gb = torch.autograd.grad(out, (a, b), retain_graph=True)
print(torch.equal(ga, b), torch.equal(gb, a))
gu = torch.autograd.grad(out, [a, c], allow_unused=True, retain_graph=True)
print(gu[1])
gm = torch.autograd.grad(out, [a, c], allow_unused=True, materialize_grads=True)
print(gm[1])

m = torch.randn(3, requires_grad=True)
ym = m * torch.tensor([1.0, 2.0, 3.0])
(jac,) = torch.autograd.grad(ym, m, torch.eye(3), is_grads_batched=True)
print(jac)

# torch.autograd.backward with explicit gradients.
p = torch.ones(2, requires_grad=True)
q = p * 3
r = p.exp()
torch.autograd.backward([q, r], [torch.ones(2), torch.full((2,), 0.5)])
print(p.grad)

# The graph a create_graph gradient records, walked as torchviz walks it (by id() of the
# grad_fn objects): tanh's backward is one TanhBackwardBackward0 node, sigmoid's one
# SigmoidBackwardBackward0, and every path to a node gives the same object.
def walk(fn):
    seen, kept, names, stack = set(), [], {}, [fn]
    while stack:
        n = stack.pop()
        if n is None or id(n) in seen:
            continue
        seen.add(id(n))
        kept.append(n)
        names[n.name()] = names.get(n.name(), 0) + 1
        stack.extend(m for m, _ in n.next_functions)
    return sorted(names.items())

block = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 4), torch.nn.Sigmoid())
xb = torch.randn(5, 4, requires_grad=True)
yb = block(xb)
(gb,) = torch.autograd.grad(yb[:, 1].sum(), xb, create_graph=True)
print(gb.grad_fn.name(), gb.grad_fn is gb.grad_fn)
for name, count in walk(gb.grad_fn):
    if "BackwardBackward" in name or "Accumulate" in name:
        print(" ", name, count)
first = gb.grad_fn.next_functions[0][0]
print(first.name(), first is gb.grad_fn.next_functions[0][0])
(g2,) = torch.autograd.grad(gb.pow(2).sum(), xb)
inner = lambda x: torch.func.grad(lambda x: block(x)[:, 1].sum())(x)
print(g2.shape, torch.allclose(g2, torch.func.grad(lambda x: inner(x).pow(2).sum())(xb.detach()), atol=1e-7))

import torch

x = torch.ones(2, requires_grad=True)

with torch.no_grad():
    y = x * 2
    with torch.enable_grad():
        z = x * 3
print(y.requires_grad, y.grad_fn, z.requires_grad, z.grad_fn)

@torch.no_grad()
def evaluate(t):
    return t.exp()

print(evaluate(x).requires_grad, torch.is_grad_enabled())

torch.set_grad_enabled(False)
print(torch.is_grad_enabled(), (x + 1).requires_grad)
torch.set_grad_enabled(True)
print(torch.is_grad_enabled(), (x + 1).requires_grad)

with torch.set_grad_enabled(False):
    print((x * x).requires_grad)
print((x * x).requires_grad)

with torch.inference_mode():
    w = x * 5
print(w.requires_grad, torch.is_inference_mode_enabled())

# Parameter updates happen under no_grad, as optimizers do.
p = torch.tensor([1.0, -2.0], requires_grad=True)
for step in range(3):
    loss = (p ** 2).sum()
    loss.backward()
    with torch.no_grad():
        p -= 0.25 * p.grad
    p.grad.zero_()
    print(step, p, loss.item())
print(p.is_leaf, p.grad_fn)

# A trained value as the start of another computation.
q = p.detach().clone().requires_grad_(True)
(q * q).sum().backward()
print(q.grad, p.grad)

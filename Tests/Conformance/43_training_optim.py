import copy

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import vmap, jacrev

torch.manual_seed(0)
X = torch.randn(32, 3)
Y = (X[:, :1] * 2 - X[:, 1:2] + 0.5 * X[:, 2:]).tanh()


class Regressor(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 16)
        self.fc2 = nn.Linear(16, 1)

    def forward(self, x):
        return self.fc2(torch.tanh(self.fc1(x)))


start = Regressor()

# Plain SGD with momentum.
model = copy.deepcopy(start)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
print(opt)
for epoch in range(5):
    opt.zero_grad()
    loss = F.mse_loss(model(X), Y)
    loss.backward()
    opt.step()
    print(f"sgd epoch {epoch}: loss {loss.item():.6f}")
print(model.fc2.bias)

# Adam, with a learning-rate change through param_groups.
model = copy.deepcopy(start)
opt = torch.optim.Adam(model.parameters(), lr=0.01)
for epoch in range(6):
    if epoch == 3:
        for g in opt.param_groups:
            g["lr"] = 0.005
    opt.zero_grad()
    loss = ((model(X) - Y) ** 2).mean()
    loss.backward()
    opt.step()
    print(f"adam epoch {epoch}: loss {loss.item():.6f}")
state = opt.state[model.fc2.bias]
print(sorted(state.keys()), state["step"], state["exp_avg"])

# AdamW and parameter groups with their own settings.
model = copy.deepcopy(start)
opt = torch.optim.AdamW([{"params": model.fc1.parameters()},
                         {"params": model.fc2.parameters(), "lr": 0.02, "weight_decay": 0.0}], lr=0.01)
for epoch in range(3):
    opt.zero_grad()
    loss = F.mse_loss(model(X), Y)
    loss.backward()
    opt.step()
print(f"adamw: loss {loss.item():.6f}", [g["lr"] for g in opt.param_groups])

# Jacobian-regularised training: the loss includes the per-sample Jacobians of the network.
model = copy.deepcopy(start)
opt = torch.optim.SGD(model.parameters(), lr=0.05)
for epoch in range(4):
    opt.zero_grad()
    J = vmap(jacrev(model))(X)
    loss = F.mse_loss(model(X), Y) + 0.01 * J.pow(2).sum(dim=(1, 2)).mean()
    loss.backward()
    opt.step()
    print(f"jacobian-regularised epoch {epoch}: loss {loss.item():.6f}, |J| {J.norm().item():.4f}")

# A hand-written loop, as in the tutorials.
model = copy.deepcopy(start)
for step in range(3):
    loss = F.mse_loss(model(X), Y)
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= 0.1 * p.grad
    print(f"manual step {step}: loss {loss.item():.6f}")

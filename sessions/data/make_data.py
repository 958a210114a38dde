"""Makes the small data files that sessions/*.jac load (run with a Python that has torch,
numpy and safetensors; the sessions and tests never need them).

    python sessions/data/make_data.py

- thread_net.safetensors: the weights of the forum thread's network, a Sequential with a
  named block1 (Linear(4, 8), Tanh, Linear(8, 4), Tanh) and a head (Linear(4, 2)), trained for
  a few steps so that they are not just the initial values; keys are PyTorch's state_dict names.
- thread_net.pt: the same state_dict written by torch.save, and thread_checkpoint.pt a training
  checkpoint as tutorials write one (epoch, model and optimizer state dicts, the last loss).
- batch.npy: a batch of 6 inputs [6, 4] (float32).
- thread_reference.npz: PyTorch's vmap(jacrev(net.block1))(batch), the network's output,
  torch.pinverse of the first sample's block1 Jacobian and torch.linalg.pinv of all of them,
  for comparison in the sessions.
"""
import numpy as np
import torch
from torch import nn
from safetensors.torch import save_file

torch.manual_seed(1234)
net = nn.Sequential()
net.add_module("block1", nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 4), nn.Tanh()))
net.add_module("head", nn.Linear(4, 2))

x_train = torch.randn(64, 4)
y_train = torch.stack([x_train[:, 0] * x_train[:, 1], torch.sin(x_train[:, 2])], dim=1)
opt = torch.optim.SGD(net.parameters(), lr=0.1)
for _ in range(50):
    opt.zero_grad()
    loss = ((net(x_train) - y_train) ** 2).mean()
    loss.backward()
    opt.step()

batch = torch.randn(6, 4)
torch.save(net.state_dict(), "sessions/data/thread_net.pt")
torch.save({"epoch": 50, "model_state_dict": net.state_dict(), "optimizer_state_dict": opt.state_dict(),
            "loss": loss.item()}, "sessions/data/thread_checkpoint.pt")
save_file({k: v.contiguous() for k, v in net.state_dict().items()}, "sessions/data/thread_net.safetensors")
np.save("sessions/data/batch.npy", batch.numpy())
with torch.no_grad():
    jac = torch.func.vmap(torch.func.jacrev(net.block1))(batch)
    out = net(batch)
    # The thread's answer for the first sample: torch.pinverse of its block1 Jacobian, and the
    # pseudo-inverses of every sample's Jacobian (sessions/seed-thread.jac compares with them).
    first_pinverse = torch.pinverse(jac[0])
    batch_pinverse = torch.linalg.pinv(jac)
np.savez("sessions/data/thread_reference.npz", block1_jacobian=jac.numpy(), output=out.numpy(),
         block1_pinverse=first_pinverse.numpy(), block1_pinv_batch=batch_pinverse.numpy())
print("wrote thread_net.safetensors, thread_net.pt, thread_checkpoint.pt, batch.npy, thread_reference.npz")

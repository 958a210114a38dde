# Forum thread "Computing batch Jacobian efficiently": Jacobian of an
# intermediate block w.r.t. the input, for a whole batch, without a loop.
import sys

import torch
import torch.nn as nn
import torch.func
import functorch
from torch import autograd

class Net2(nn.Module):
    def __init__(self):
        super().__init__()
        self.block1 = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 4), nn.Tanh())
        self.head = nn.Linear(4, 1)

    def forward(self, x):
        return self.head(self.block1(x))

def getInverseJacobian(jac):
    # Getting inverse of jacobian using Penrose pseudo-inverse
    jac_inverse = torch.pinverse(jac)
    if torch.isnan(jac_inverse).any():
        print('Nan encountered in Jacobian !')
        sys.exit(0)
    return jac_inverse

def batch_jacobian(func, x, create_graph=False):
    # x in shape (Batch, Length)
    def _func_sum(x):
        return func(x).sum(dim=0)
    return autograd.functional.jacobian(_func_sum, x, create_graph=create_graph).permute(1, 0, 2)

torch.manual_seed(0)
net2 = Net2()
print(net2)
x = torch.randn(3, 4)

jac = torch.func.vmap(torch.func.jacrev(net2.block1))(x)
print(jac.shape)
print(jac[0].detach())

full = torch.autograd.functional.jacobian(net2.block1, x)
print(full.shape)
blocks = torch.stack([full[i, :, i, :] for i in range(x.shape[0])])
print(torch.allclose(blocks, jac))
print(full[0, :, 1, :].abs().max())
print(torch.allclose(torch.autograd.functional.jacobian(net2.block1, x, vectorize=True), full))

summed = batch_jacobian(net2.block1, x)
print(summed.shape, torch.allclose(summed, jac))

print(torch.allclose(functorch.vmap(functorch.jacrev(net2.block1))(x), jac))
loop = torch.stack([torch.func.jacrev(net2.block1)(x[i]) for i in range(x.shape[0])])
print(torch.allclose(loop, jac))
fwd = torch.func.vmap(torch.func.jacfwd(net2.block1))(x)
print(torch.allclose(fwd, jac, atol=1e-6))

jac_inverse = getInverseJacobian(jac[0].detach())
torch.set_printoptions(precision=2)
print(jac_inverse)
torch.set_printoptions(precision=4)
print(torch.allclose(jac_inverse @ jac[0], torch.eye(4), atol=1e-4))
inverses = torch.pinverse(jac.detach())
print(inverses.shape, torch.isnan(inverses).any())
print(torch.allclose(inverses[2], torch.linalg.pinv(jac[2].detach()), atol=1e-5))

with torch.no_grad():
    print(net2(x))
    print(torch.func.vmap(torch.func.jacrev(net2))(x).shape)

# The forum thread that started Jacobi, as its users wrote it: a class-defined Net2 with a
# block1, the row-by-row Jacobian with torch.autograd.grad, the pseudo-inverse and the NaN check;
# then the replies: functional.jacobian, the sum trick, vectorize=True and functorch.
import sys

import functorch
import torch
import torch.nn as nn
from torch import autograd


class Net2(nn.Module):
    def __init__(self):
        super(Net2, self).__init__()
        self.block1 = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 4), nn.Tanh())
        self.head = nn.Linear(4, 2)

    def forward(self, x):
        return self.head(self.block1(x))


def getInverseJacobian(net2, x):
    # define jacobian matrix
    # x has shape (n_batches X dim of input vector)
    # Take one input point from x and forward it through 1st block 

    jac = torch.zeros(size=(x.shape[1],x.shape[1]))

    y = net2.block1(x)

    for i in range(x.shape[1]):
        jac[i,:] = torch.autograd.grad(y[0][i],x, create_graph=True)[0]



    # Getting inverse of jacobian using Penrose pseudo-inverse
    jac_inverse = torch.pinverse(jac)

    if torch.isnan(jac_inverse).any():
        print('Nan encountered in Jacobian !')
        sys.exit(0)
    
    return jac_inverse


torch.manual_seed(0)
net2 = Net2()
x = torch.randn(1, 4, requires_grad=True)
jac_inverse = getInverseJacobian(net2, x)
print(jac_inverse.shape, jac_inverse.requires_grad)
print((jac_inverse * 1000).round() / 1000)

# The graph reaches the parameters: the thread's training can backpropagate through it.
jac_inverse.abs().sum().backward()
print(net2.block1[0].weight.grad.shape, net2.head.weight.grad)
print(x.grad.shape)


def batch_jacobian(func, x, create_graph=False):
  # x in shape (Batch, Length)
  def _func_sum(x):
    return func(x).sum(dim=0)
  return autograd.functional.jacobian(_func_sum, x, create_graph=create_graph).permute(1,0,2)


batch = torch.randn(6, 4)
J_trick = batch_jacobian(net2.block1, batch)
J_full = torch.autograd.functional.jacobian(net2.block1, batch, vectorize=True)
print(J_trick.shape, J_full.shape)
J = functorch.vmap(functorch.jacrev(net2.block1))(batch)
J_fwd = functorch.vmap(functorch.jacfwd(net2.block1))(batch)
print(torch.allclose(J, J_trick, atol=1e-6), torch.allclose(J, J_fwd, atol=1e-6))
print(torch.allclose(J_full[2, :, 2, :], J[2], atol=1e-6), J_full[0, :, 1, :].abs().max().item())
J_rows = torch.stack([getInverseJacobian(net2, batch[i:i + 1].clone().requires_grad_()) for i in range(6)])
print(torch.allclose(J_rows, torch.linalg.pinv(J), atol=1e-4))

# Found by libFuzzer (make fuzz) in a mutated conformance script, then reduced: the Jacobian of a
# function with no outputs. torch.autograd.functional.jacobian concatenates no rows, and the
# memory check asked concatenate's shape rule about the first of no operands (an index trap).
import torch
from torch.autograd.functional import jacobian

x = torch.tensor([1.0, 2.0, 0.5])
W = torch.randn(0, 3)


def layer(x, W):
    return torch.tanh(W @ x)


res = jacobian(layer, (x, W))
print(res[0].shape, res[1].shape)
# PyTorch refuses it too (stack expects a non-empty TensorList); the input goes on after the error.
from torch.func import jacrev

print(jacrev(layer)(x, W).shape)

import torch
import torch.nn as nn

torch.manual_seed(0)

w = torch.empty(3, 5)
nn.init.xavier_uniform_(w)
print(w)
nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")
print(w)
nn.init.kaiming_uniform_(w, a=5 ** 0.5)
print(w)
nn.init.constant_(w, 0.5)
print(w.sum())
print(nn.init.calculate_gain("tanh"), nn.init.calculate_gain("leaky_relu", 0.2))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.xavier_normal_(m.weight)
        m.bias.data.fill_(0.01)


net = Net()
net.apply(init_weights)
print(net.fc1.bias)
print(net.fc2.weight)
print(net(torch.ones(1, 4)))
nn.init.eye_(net.fc1.weight)
print(net.fc1.weight[:4])
print(net.fc1.weight.requires_grad, net.fc1.weight.is_leaf, net.fc1.weight.grad_fn)

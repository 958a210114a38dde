# Saving and loading checkpoints as a training script does: state dicts, a checkpoint dict,
# views that share a storage, half precision, and what torch.load refuses.
import torch
import torch.nn as nn

torch.manual_seed(0)
PATH = "_conformance_checkpoint.pt"


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc2(torch.tanh(self.fc1(x)))


model = Net()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
x, y = torch.randn(16, 4), torch.randn(16, 2)
for epoch in range(3):
    optimizer.zero_grad()
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    optimizer.step()
print(f"epoch {epoch}: loss {loss.item():.4f}")

torch.save({"epoch": epoch, "model_state_dict": model.state_dict(), "loss": loss.item(),
            "history": [1.5, 0.75], "config": {"lr": 0.1, "layers": (4, 8, 2), "name": "tiny"}}, PATH)
checkpoint = torch.load(PATH)
print(sorted(checkpoint.keys()))
print(checkpoint["epoch"], round(checkpoint["loss"], 4), checkpoint["history"], checkpoint["config"])
print(type(checkpoint["model_state_dict"]).__name__, list(checkpoint["model_state_dict"].keys()))

restored = Net()
print(restored.load_state_dict(checkpoint["model_state_dict"]))
restored.eval()
print(torch.equal(restored(x), model(x)))
print(restored(x[:2]))

torch.save(model.state_dict(), PATH)
state = torch.load(PATH, weights_only=True, mmap=True)
print(state["fc2.bias"])
print(state["fc1.weight"].shape, state["fc1.weight"].dtype, state["fc1.weight"].requires_grad)

w = torch.arange(12.0).reshape(3, 4)
torch.save({"w": w, "t": w.t(), "tail": w[1:, 2:], "row": w[2]}, PATH)
views = torch.load(PATH)
print(views["t"].stride(), views["tail"].stride(), views["tail"].storage_offset(), views["row"].storage_offset())
print(views["t"].is_contiguous(), views["tail"])
views["w"][2, 3] = -1.0
print(views["row"], views["t"][3])

p = nn.Parameter(torch.tensor([0.5, -0.5]))
torch.save([p, p.detach().half(), torch.tensor([1, 2, 3], dtype=torch.int8)], PATH)
loaded = torch.load(PATH)
print(loaded[0])
print(loaded[1], loaded[2])

model.half()
torch.save(model.state_dict(), PATH)
half_state = torch.load(PATH)
print(half_state["fc2.weight"].dtype, half_state["fc2.bias"])

try:
    torch.load("_does_not_exist.pt")
except FileNotFoundError as e:
    print("FileNotFoundError:", e)

import functools
import torch
import torch.nn as nn

calls = []
def log_calls(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        calls.append(fn.__name__)
        return fn(*args, **kwargs)
    return wrapper

def repeat(times):
    def decorator(fn):
        def wrapper(*args):
            return [fn(*args) for _ in range(times)]
        return wrapper
    return decorator

@log_calls
def activate(x):
    """Apply tanh."""
    return torch.tanh(x)

@repeat(3)
def greet(name):
    return f"hi {name}"

print(activate(torch.tensor([0.0, 1.0])), activate.__name__, activate.__doc__, calls)
print(greet("torch"), greet.__name__)

@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(80), fib.cache_info())

class Scaled(nn.Module):
    def __init__(self, features, temperature=1.0):
        super().__init__()
        self.fc = nn.Linear(features, features)
        self._temperature = temperature

    @property
    def temperature(self):
        return self._temperature

    @temperature.setter
    def temperature(self, value):
        self._temperature = value

    @property
    def num_params(self):
        return sum(p.numel() for p in self.parameters())

    @torch.no_grad()
    def forward(self, x):
        return torch.softmax(self.fc(x) / self._temperature, dim=-1)

torch.manual_seed(0)
model, x = Scaled(3), torch.randn(2, 3)
print(model.temperature, model.num_params, model(x))
model.temperature = 10.0
print(model.temperature, model(x))
try:
    model.num_params = 5
except AttributeError as e:
    print("AttributeError:", e)
stacked = log_calls(log_calls(abs))
print(type(Scaled.temperature).__name__, Scaled.forward.__name__, stacked(-3), calls)

import torch

step_count = 0
history = []

def train_step(loss):
    global step_count
    step_count += 1
    history.append(round(loss, 3))
    return step_count

for loss in [0.9, 0.5, 0.25]:
    train_step(loss)
print(step_count, history)

def make_counter(start=0):
    count = start
    def increment(by=1):
        nonlocal count
        count += by
        return count
    return increment

c1, c2 = make_counter(), make_counter(10)
print(c1(), c1(), c1(5), c2(), c1())

def make_scaler(factor):
    def scale(t):
        return t * factor
    return scale

x = torch.tensor([1.0, 2.0, 3.0])
print(make_scaler(2)(x), make_scaler(0.5)(x), make_scaler(2)(3))
print([cb(10) for cb in [lambda v, i=i: v + i for i in range(3)]])
print([cb(10) for cb in [lambda v: v + i for i in range(3)]])

def running_mean():
    total, n = 0.0, 0
    def update(value):
        nonlocal total, n
        total += value
        n += 1
        return total / n
    return update

avg = running_mean()
print([f"{avg(v):.3f}" for v in [2.0, 4.0, 9.0]])

def outer():
    name = "outer"
    def inner():
        return name
    name = "changed"
    return inner()

config = {"lr": 0.1}
def bump():
    config["lr"] *= 10
    return config

class Scaler:
    def __init__(self, factor):
        self.factor = factor

    def __call__(self, t):
        return t * self.factor

print(outer(), bump(), bump(), step_count, Scaler(3)(x), callable(Scaler(1)))

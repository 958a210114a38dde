import torch
import torch.nn as nn

def make_mlp(in_features, out_features, hidden=8, *, activation=nn.ReLU, bias=True):
    """Build a one-hidden-layer MLP."""
    return nn.Sequential(nn.Linear(in_features, hidden, bias=bias), activation(),
                         nn.Linear(hidden, out_features, bias=bias))

def describe(*args, **kwargs):
    return f"args={args} kwargs={kwargs}"

def combine(first, *rest, scale=1.0, **options):
    total = first + sum(rest)
    if options.get("negate", False):
        total = -total
    return total * scale

def clip(value, low=0.0, high=1.0):
    return low if value < low else high if value > high else value

torch.manual_seed(0)
print(make_mlp(2, 1))
print(make_mlp(2, 1, 4, activation=nn.Tanh, bias=False))
print(make_mlp.__name__, make_mlp.__doc__)
print(describe(), describe(1, "two", key=3))
print(combine(1, 2, 3), combine(1, 2, 3, scale=2), combine(1, negate=True))
shape = (2, 3)
opts = {"scale": 0.5, "negate": True}
print(combine(*shape, **opts))
print(torch.zeros(*shape).shape, torch.full(size=shape, fill_value=2.0).sum())
layer_kwargs = dict(in_features=3, out_features=2, bias=False)
print(nn.Linear(**layer_kwargs))
print([clip(v) for v in (-0.5, 0.25, 3.0)], clip(5, high=10), clip(value=-1, low=-2))

try:
    make_mlp(2, 1, 4, nn.Tanh)
except TypeError as e:
    print("TypeError:", e)
try:
    clip()
except TypeError as e:
    print("TypeError:", e)
try:
    clip(1, 2, 3, 4)
except TypeError as e:
    print("TypeError:", e)

def append_to(item, bucket=None):
    if bucket is None:
        bucket = []
    bucket.append(item)
    return bucket

print(append_to(1), append_to(2), append_to(3, [0]))
x = 5
print(0 < x < 10, 1 < x > 3, x == 5 != 6, 10 > x >= 5 > 2)
print(x is not None, [] is not None, None is None, 3 in [1, 2, 3], "z" not in "abc")
sign = "positive" if x > 0 else "zero" if x == 0 else "negative"
print(sign, (lambda a, b=2: a ** b)(3), (lambda *a: len(a))(1, 2, 3))
square = lambda t: t * t
print(square(torch.tensor([1.0, -2.0])), square(3))
apply = lambda f, *xs: [f(v) for v in xs]
print(apply(abs, -1, 2, -3), sorted([(2, "b"), (1, "z")], key=lambda p: p[1]))
def kw_only(a, *, d): return (a, d)
print(kw_only(1, d=4), kw_only(d=5, a=2))
try:
    kw_only(1, 4)
except TypeError as e:
    print("TypeError:", e)
print(type(kw_only).__name__, callable(kw_only), callable(x))

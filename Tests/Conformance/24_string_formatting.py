import math

import torch

torch.manual_seed(0)
print("%d items cost %.2f" % (3, 9.5))
print("%5s|%-5s|%05d|%+d|%x|%o|%e" % ("ab", "cd", 42, 7, 255, 8, 12345.678))
print("%s and %r" % ("text", "text"))
print("%(name)s is %(age)d" % {"name": "Ada", "age": 36})
print("%.3g %g %10.4f %%" % (math.pi, 1e-7, math.e))
print("loss: %s" % torch.tensor(0.5))

print("{} + {} = {}".format(1, 2, 3))
print("{1} {0} {1}".format("a", "b"))
print("{name} has {n:>4} params".format(name="fc", n=12))
print("{:.3f} {:>8.2e} {:,}".format(math.pi, 12345.6789, 10 ** 9))
print("{0[0]} {0[1]} {1[key]}".format([7, 8], {"key": "v"}))
print("{!r:>10}|{:^9}|".format("hi", "mid"))
print(format(3.14159, ".2f"), format(42, "08b"), format(1234567, ","))
row = "{:<8}{:>8}{:>10}"
print(row.format("layer", "params", "mean"))
print(row.format("fc1", 12, "%.4f" % 0.25))

print(repr(0.1), repr(1 / 3), repr(2.0), repr(1e16), repr(1e-7), repr(123456789.123))
print(str(1e22), str(1.5e-5), 1e15, 1e16, 0.0001, 0.00001)
print(repr(-0.0), 3.0 * 1.1, round(2.675, 2), round(0.5), round(1.5), round(-2.5))
print(round(3.14159, 3), round(1234.5678, -2), round(7), type(round(2.5)).__name__)
print(float("1e3"), float("  -2.5 "), int("0x1f", 16), int("101", 2), int(-3.99))
print(str(True), str(None), repr("it's"), repr('say "hi"'), repr("tab\t"))
print(1 / 7, 2 / 3, 100 / 3, 1e308 * 10, -1e308 * 10)
print(math.pi, math.e, math.inf, -math.inf, math.nan)
print([0.1, 1.0, 2.5e-8], (1.0,), {"x": 0.30000000000000004})
t = torch.tensor([1.0, 2.5])
print("tensor via str(): " + str(t))
print("tensor via repr(): " + repr(t))
print("item: %.4f, list: %s" % (t[1].item(), t.tolist()))
print("{}".format(t.shape), "{}".format(t.dtype))
print("{:.2f}".format(t.sum().item()), "{:.2f}".format(t.sum()))
